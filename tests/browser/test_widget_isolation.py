"""The widget on hostile, strict and broken pages in real Chromium: style isolation both
ways, a strict CSP, two snippets, an API that is down, slow or says no, and one program the
API does not know."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .support import RecordedPage, save_screenshot
from .widget_checks import assert_clean_console, assert_only_known_hosts, network_errors_only
from .widget_env import PROGRAM, WidgetWorld

pytestmark = pytest.mark.browser

OpenPage = Callable[..., RecordedPage]
HOST_ELEMENTS = ("#title", "#intro", "#host-button")
LAYOUT = """ids => ids.map(id => {
  const el = document.querySelector(id), box = el.getBoundingClientRect(), s = getComputedStyle(el);
  return [id, box.x, box.y, box.width, box.height, s.font, s.color, s.backgroundColor, s.display];
})"""


def test_a_hostile_stylesheet_leaves_the_widget_readable_and_the_page_untouched(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    bare = open_page()
    bare.page.route("**/widget/referbee.js", lambda route: route.abort())
    bare.page.goto(widget_world.page("hostile.html"))
    without_widget = bare.page.evaluate(LAYOUT, list(HOST_ELEMENTS))

    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("hostile.html"))
    page.locator("dl dd").first.wait_for()
    assert page.evaluate(LAYOUT, list(HOST_ELEMENTS)) == without_widget
    assert page.locator("referbee-widget").count() == 0  # no launcher or banner asked for

    panel = page.locator(".p")
    box = panel.bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 300
    heading = page.get_by_role("heading", name="Give 15%, get $10")
    assert heading.is_visible()
    assert heading.evaluate("h => getComputedStyle(h).fontWeight") == "700"
    copy = page.get_by_role("button", name="Copy link")
    assert copy.is_visible()
    assert copy.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 110, 79)"
    assert page.locator("#rk-link").is_visible()
    assert page.get_by_text("Hi Hal Hostile, here is your link.").is_visible()
    save_screenshot(page, "widget-hostile-1280")
    assert_only_known_hosts(recorded, widget_world)
    assert_clean_console(recorded)


def test_the_widget_works_under_a_strict_content_security_policy(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("csp-panel.html"))
    page.locator("dl dd").first.wait_for()
    # The stylesheet applies (adopted, not an inline <style> the policy would block).
    copy = page.get_by_role("button", name="Copy link")
    assert copy.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 110, 79)"
    page.wait_for_function(
        "() => document.querySelector('[data-referbee-panel]').shadowRoot"
        ".querySelector('img.qr').naturalWidth > 0"
    )
    page.get_by_role("button", name="Get $10").click()
    assert page.locator("dialog").evaluate("d => d.open")
    assert not any("Content Security Policy" in text for _, text in recorded.console)
    assert_only_known_hosts(recorded, widget_world)
    assert_clean_console(recorded)


def test_two_snippets_make_one_widget(widget_world: WidgetWorld, open_page: OpenPage) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("two.html"))
    page.locator("dl dd").first.wait_for()
    page.wait_for_load_state("networkidle")
    referrers = f"{widget_world.api}/v1/programs/{PROGRAM}/referrers"
    assert recorded.urls("POST") == [referrers]
    assert page.locator(".p").count() == 1
    assert_clean_console(recorded)


def test_an_unreachable_api_gives_a_quiet_retry_state(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("down.html", "email=dana%40example.com&name=Dana"))
    retry = page.get_by_role("button", name="Try again")
    retry.wait_for()
    assert page.get_by_text("Your referral link could not be loaded.").is_visible()
    assert page.get_by_role("heading", name="My account").is_visible()
    tries = len(recorded.urls("POST"))
    retry.click()
    page.get_by_role("button", name="Try again").wait_for()
    assert len(recorded.urls("POST")) == tries + 1
    assert any(w.startswith("[referbee] ") for w in recorded.warnings())
    network_errors_only(recorded)


def test_a_slow_api_never_holds_up_the_page(widget_world: WidgetWorld, open_page: OpenPage) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("slow.html", "email=sid%40example.com"), wait_until="load")
    # The page is loaded and usable while the API has not answered yet.
    assert page.get_by_text("Loading…").is_visible()
    assert page.evaluate("document.readyState") == "complete"
    page.get_by_role("button", name="Try again").wait_for()  # the API answered 503
    network_errors_only(recorded)


def test_an_unknown_program_is_reported_quietly(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("unknown.html", "email=una%40example.com"))
    page.get_by_text("Referrals are not available right now.").wait_for()
    assert page.get_by_role("button", name="Try again").count() == 0
    assert any("There is no referral program 'no-such-program'" in w for w in recorded.warnings())
    network_errors_only(recorded)


@pytest.mark.parametrize("width", [320, 1280])
def test_the_launcher_opens_an_accessible_dialog(
    widget_world: WidgetWorld, open_page: OpenPage, width: int
) -> None:
    recorded = open_page(viewport={"width": width, "height": 760})
    page = recorded.page
    page.goto(widget_world.page("launcher.html", "email=lena%40example.com&name=Lena"))
    launcher = page.get_by_role("button", name="Get $10")
    launcher.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Give 15%, get $10")
    dialog.wait_for()
    dialog.locator("dl dd").first.wait_for()
    for _ in range(14):  # more stops than the dialog has: focus must stay inside it
        page.keyboard.press("Tab")
        assert _focus_in_dialog(page)
    focused_ring = page.evaluate(
        "() => { const a = document.querySelector('referbee-widget').shadowRoot.activeElement;"
        " return getComputedStyle(a).outlineStyle; }"
    )
    assert focused_ring == "solid"  # visible focus
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    save_screenshot(page, f"widget-dialog-{width}", full_page=False)
    page.keyboard.press("Escape")
    assert not page.locator("dialog").evaluate("d => d.open")
    assert launcher.evaluate("b => b.getRootNode().activeElement === b")
    page.get_by_role("button", name="Open the referral panel").click()  # referbee('open')
    dialog.wait_for()
    assert_only_known_hosts(recorded, widget_world)
    assert_clean_console(recorded)


def test_french_strings_follow_the_page_language(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("fr.html", "email=fleur%40example.com&name=Fleur"))
    page.locator("dl dd").first.wait_for()
    text = page.locator(".p").inner_text()
    for phrase in ("Vous recevez", "Votre ami reçoit", "Clics", "Achats", "Bonjour Fleur"):
        assert phrase in text
    # The program gives its friend reward in French (rewards.friend.texts): the page reads it.
    assert "15 % de remise sur votre première commande" in text
    assert "Clicks" not in text and "15% off" not in text
    assert_clean_console(recorded)


def test_dark_scheme_and_reduced_motion_are_respected(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page(color_scheme="dark", reduced_motion="reduce")
    page = recorded.page
    page.goto(widget_world.page("launcher.html", "email=dora%40example.com"))
    page.get_by_role("button", name="Get $10").click()
    page.locator("dialog dl dd").first.wait_for()  # loaded: the panel is drawn for good
    panel = page.locator("dialog .p")
    assert panel.evaluate("p => getComputedStyle(p).backgroundColor") == "rgb(28, 33, 40)"
    assert page.locator("dialog").evaluate("d => getComputedStyle(d).animationName") == "none"
    assert_clean_console(recorded)


def _focus_in_dialog(page: Any) -> bool:
    inside: bool = page.evaluate(
        "() => { const root = document.querySelector('referbee-widget').shadowRoot;"
        " return document.activeElement === root.host && !!root.activeElement"
        " && !!root.activeElement.closest('dialog'); }"
    )
    return inside
