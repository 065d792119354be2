"""The referral panel in real Chromium against `referbee dev`: link, live counters, copy, share
buttons, QR code; and what the page sends (and does not send)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.e2e.stack import request

from .support import RecordedPage, save_screenshot
from .widget_checks import (
    assert_clean_console,
    assert_only_known_hosts,
    click_link,
    conversions_sent,
    wait_for,
)
from .widget_env import ADMIN_KEY, PROGRAM, WidgetWorld

pytestmark = pytest.mark.browser

OpenPage = Callable[..., RecordedPage]


def open_panel(
    world: WidgetWorld, open_page: OpenPage, email: str, name: str, **options: object
) -> RecordedPage:
    recorded = open_page(**options)
    recorded.page.goto(world.page("panel.html", f"email={quote(email)}&name={quote(name)}"))
    recorded.page.locator("dl dd").first.wait_for()
    return recorded


def test_panel_shows_the_link_and_live_counters_from_the_api(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("pat@example.com", "Pat Panel")
    click_link(widget_world, referrer["code"], "?ch=email")
    click_link(widget_world, referrer["code"], "?ch=whatsapp")
    # The clicks reach the stats once the stack's rollups have read them from the stream
    # (twice a second), not with the redirect.
    stats = wait_for(
        lambda: (found := widget_world.stats(referrer["stats_token"]))["clicks"] == 2 and found
    )

    recorded = open_panel(widget_world, open_page, "pat@example.com", "Pat Panel")
    page = recorded.page

    assert page.locator("#rk-link").input_value() == referrer["link"]
    terms, values = page.locator("dt").all_inner_texts(), page.locator("dd").all_inner_texts()
    shown = dict(zip(terms, values, strict=True))
    assert shown == {
        "Clicks": str(stats["clicks"]),
        "Sign-ups": str(stats["signups"]),
        "Purchases": str(stats["purchases"]),
        "Rewards": str(stats["rewards"]["earned"]),
    }
    assert stats["clicks"] == 2
    assert page.get_by_role("heading", name="Give 15%, get $10").is_visible()  # widget config
    assert page.get_by_text("$10 store credit").is_visible()
    assert page.get_by_text("15% off your first order").is_visible()
    assert (
        page.get_by_role("link", name="See all your stats").get_attribute("href")
        == (referrer["stats_url"])
    )
    qr = page.get_by_role("img", name="QR code of your referral link")
    assert qr.get_attribute("src") == (
        f"{widget_world.api}/v1/programs/{PROGRAM}/codes/{referrer['code']}/qr.svg"
    )
    page.wait_for_function(
        "() => document.querySelector('[data-referbee-panel]').shadowRoot"
        ".querySelector('img.qr').naturalWidth > 0"
    )
    button = page.get_by_role("button", name="Copy link")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 110, 79)"

    api = f"{widget_world.api}/v1"
    assert recorded.urls("POST") == [f"{api}/programs/{PROGRAM}/referrers"]
    assert f"{api}/programs/{PROGRAM}?locale=en" in recorded.urls("GET")
    assert f"{api}/stats/{referrer['stats_token']}" in recorded.urls("GET")
    assert conversions_sent(recorded) == []
    assert_only_known_hosts(recorded, widget_world)
    assert_clean_console(recorded)


def test_copy_puts_the_channel_tagged_link_on_the_clipboard(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("cora@example.com", "Cora Copy")
    recorded = open_panel(
        widget_world,
        open_page,
        "cora@example.com",
        "Cora Copy",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = recorded.page
    status = page.get_by_role("status")
    assert status.inner_text() == ""
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Copied", exact=True).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == referrer["link"] + "?ch=copy"
    assert_clean_console(recorded)


def test_each_share_button_opens_its_network_with_the_channel_tag(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("sam@example.com", "Sam Share")
    link = referrer["link"]
    recorded = open_panel(widget_world, open_page, "sam@example.com", "Sam Share")
    page = recorded.page
    hrefs = {
        a.get_attribute("data-ch"): a.get_attribute("href") for a in page.locator(".sh a").all()
    }
    assert set(hrefs) == {"email", "x", "facebook", "whatsapp", "linkedin"}
    message = "I buy my beans at Bean Club. Get 15% off your first order: {}"

    def query(url: str) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    assert hrefs["email"].startswith("mailto:?")
    assert query(hrefs["email"]) == {
        "subject": "Bean Club",
        "body": message.format(link + "?ch=email"),
    }
    assert hrefs["x"].startswith("https://x.com/intent/tweet?")
    assert query(hrefs["x"]) == {"text": message.format(link + "?ch=x")}
    assert hrefs["facebook"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert query(hrefs["facebook"]) == {"u": link + "?ch=facebook"}
    assert hrefs["whatsapp"].startswith("https://wa.me/?")
    assert query(hrefs["whatsapp"]) == {"text": message.format(link + "?ch=whatsapp")}
    assert hrefs["linkedin"].startswith("https://www.linkedin.com/sharing/share-offsite/?")
    assert query(hrefs["linkedin"]) == {"url": link + "?ch=linkedin"}

    # Clicking opens the network in a new tab (answered locally: the test never goes online).
    context = page.context
    context.route("https://**/*", lambda route: route.fulfill(body="shared", status=200))
    for channel in ("x", "whatsapp"):
        with context.expect_page() as opened:
            page.locator(f'.sh a[data-ch="{channel}"]').click()
        popup = opened.value
        popup.wait_for_load_state()
        assert popup.url == hrefs[channel]
        assert popup.evaluate("window.opener") is None  # rel=noopener
        popup.close()
    # No native share sheet in desktop Chromium: its button is not shown.
    assert page.locator('button[data-ch="share"]').count() == 0
    assert_only_known_hosts(recorded, widget_world)
    assert_clean_console(recorded)


def test_native_share_sheet_button_appears_where_the_web_share_api_exists(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("nia@example.com", "Nia Native")
    recorded = open_page()
    recorded.page.add_init_script(
        "navigator.share = function (data) { window.sharedWith = data; return Promise.resolve(); };"
    )
    recorded.page.goto(widget_world.page("panel.html", "email=nia%40example.com&name=Nia"))
    recorded.page.get_by_role("button", name="More…").click()
    shared = recorded.page.evaluate("window.sharedWith")
    assert shared["url"] == referrer["link"] + "?ch=share"
    assert shared["title"] == "Bean Club"
    assert shared["text"] == "I buy my beans at Bean Club. Get 15% off your first order"
    assert_clean_console(recorded)


@pytest.mark.parametrize("width", [320, 1280])
def test_panel_fits_the_screen(widget_world: WidgetWorld, open_page: OpenPage, width: int) -> None:
    widget_world.issue("wendy@example.com", "Wendy Width")
    recorded = open_panel(
        widget_world,
        open_page,
        "wendy@example.com",
        "Wendy Width",
        viewport={"width": width, "height": 900},
    )
    page = recorded.page
    page.wait_for_function(
        "() => document.querySelector('[data-referbee-panel]').shadowRoot"
        ".querySelector('img.qr').complete"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    panel_box = page.locator(".p").bounding_box()
    assert panel_box is not None and panel_box["x"] + panel_box["width"] <= width
    for name in ("Copy link", "Try again"):
        for button in page.get_by_role("button", name=name).all():
            box = button.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width
    save_screenshot(page, f"widget-panel-{width}")
    assert_clean_console(recorded)


def test_without_a_signature_the_panel_shows_the_link_and_where_the_stats_link_went(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    """Nobody vouches for the page's customer: the API answers the code and the link only;
    the panel shares the link, says the private stats link went to the address, and shows
    no counters and no stats link. The browser keeps the answer: a second page view asks the
    API nothing (asking again would mail the stats link again)."""
    recorded = open_page()
    page = recorded.page
    query = "email=una%40example.com&name=Una&unsigned=1"
    page.goto(widget_world.page("panel.html", query))
    status = page.get_by_text("We sent your private stats link to u…@example.com.")
    status.wait_for()
    link = page.locator("#rk-link").input_value()
    assert link.startswith(f"{widget_world.api}/r/")
    assert page.get_by_role("link", name="WhatsApp").is_visible()
    assert page.locator("dl dd").count() == 0
    assert page.get_by_role("link", name="See all your stats").count() == 0
    page.goto(widget_world.page("panel.html", query))
    status.wait_for()
    assert page.locator("#rk-link").input_value() == link
    posts = [url for url in recorded.urls("POST") if url.endswith("/referrers")]
    assert len(posts) == 1
    save_screenshot(page, "widget-panel-unsigned")
    assert_clean_console(recorded)


def test_a_purchase_held_for_review_shows_as_being_checked_never_why(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("hal@example.com", "Hal Held")
    own = {"event": "purchase", "order_id": "held-1", "amount": 20, "email": "hal@example.com"}
    own["ref"] = referrer["code"]  # the referrer buys through their own link: held
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    reply = request("POST", f"{widget_world.api}/v1/programs/{PROGRAM}/conversions", own, auth)
    assert reply.status == 201 and reply.json()["status"] == "review"

    recorded = open_panel(widget_world, open_page, "hal@example.com", "Hal Held")
    page = recorded.page
    terms, values = page.locator("dt").all_inner_texts(), page.locator("dd").all_inner_texts()
    assert dict(zip(terms, values, strict=True))["Being checked"] == "1"
    assert "self" not in page.locator(".p").inner_text().lower()  # never the reason
    assert_clean_console(recorded)
