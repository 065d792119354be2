"""Landing-page attribution and browser conversions in real Chromium against `referbee dev`:
the cookie, the cleaned URL, the banner, the conversion beacon, and what is never sent."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import quote

import pytest

from .support import RecordedPage, save_screenshot
from .widget_checks import (
    assert_clean_console,
    assert_only_known_hosts,
    conversions_sent,
    wait_for,
)
from .widget_env import PROGRAM, WidgetWorld

pytestmark = pytest.mark.browser

OpenPage = Callable[..., RecordedPage]
XSS = "<img src=x onerror=alert(1)>"


def test_landing_saves_the_referral_and_a_later_purchase_reaches_the_referrers_stats(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("jane.landing@example.com", "Jane Doe")
    code = referrer["code"]
    recorded = open_page(viewport={"width": 1280, "height": 800})
    page = recorded.page

    # The friend follows the shared link; the redirect lands on the shop's page.
    page.goto(f"{widget_world.api}/r/{code}?ch=whatsapp&to=fixture")
    banner = page.get_by_role("status").filter(has_text="sent you")
    banner.wait_for()
    assert banner.inner_text().startswith("Jane sent you 15% off your first order")
    assert page.url == widget_world.page("landing.html", "utm_source=friend")
    [cookie] = [c for c in page.context.cookies() if c["name"] == f"referbee_{PROGRAM}"]
    ref, click, _ = cookie["value"].split("~")
    assert ref == code and click.startswith(f"{code}.")
    assert cookie["sameSite"] == "Lax" and cookie["domain"] == "localhost"
    assert abs(cookie["expires"] - (time.time() + 14 * 86400)) < 3600  # the program's window
    assert f"{widget_world.api}/v1/programs/{PROGRAM}/codes/{code}" in recorded.urls("GET")
    save_screenshot(page, "widget-banner-1280", full_page=False)
    page.set_viewport_size({"width": 320, "height": 640})
    save_screenshot(page, "widget-banner-320", full_page=False)
    page.get_by_role("button", name="Close").click()
    assert page.get_by_text("sent you").count() == 0
    assert conversions_sent(recorded) == []

    # Days later, on another page: one line reports the purchase.
    page.goto(widget_world.page("thanks.html", "order=fx-1001&amount=24.50"))
    wait_for(lambda: conversions_sent(recorded))
    assert conversions_sent(recorded) == [f"{widget_world.api}/v1/programs/{PROGRAM}/beacon"]
    stats = wait_for(lambda: _purchased(widget_world, referrer["stats_token"]))
    assert stats["purchases"] == 1
    assert stats["revenue"] == {"USD": 24.5}
    assert stats["channels"] == {"whatsapp": 1}

    # The same order reported again (a reload) is counted once.
    page.reload()
    wait_for(lambda: len(conversions_sent(recorded)) == 2)
    time.sleep(0.5)
    assert widget_world.stats(referrer["stats_token"])["purchases"] == 1
    assert_only_known_hosts(recorded, widget_world)
    assert_clean_console(recorded)


def test_pixel_reports_the_conversion_where_there_is_no_beacon(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("pia@example.com", "Pia Pixel")
    recorded = open_page()
    recorded.page.add_init_script("delete Navigator.prototype.sendBeacon;")
    recorded.page.goto(f"{widget_world.api}/r/{referrer['code']}?ch=email&to=fixture")
    recorded.page.get_by_text("Pia sent you").wait_for()
    recorded.page.goto(widget_world.page("thanks.html", "order=fx-2001&amount=10"))
    wait_for(lambda: conversions_sent(recorded))
    [sent] = conversions_sent(recorded)
    assert sent.startswith(f"{widget_world.api}/p.gif?program={PROGRAM}&event=purchase&ref=")
    stats = wait_for(lambda: _purchased(widget_world, referrer["stats_token"]))
    assert stats["revenue"] == {"USD": 10}
    assert_clean_console(recorded)


def test_a_conversion_can_be_declared_with_attributes_alone(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("ada@example.com", "Ada Attr")
    recorded = open_page()
    recorded.page.goto(f"{widget_world.api}/r/{referrer['code']}?to=fixture")
    recorded.page.get_by_text("Ada sent you").wait_for()
    recorded.page.goto(widget_world.page("welcome.html"))
    wait_for(lambda: conversions_sent(recorded))
    stats = wait_for(lambda: (s := widget_world.stats(referrer["stats_token"]))["signups"] and s)
    assert stats["signups"] == 1 and stats["purchases"] == 0
    assert_clean_console(recorded)


def test_no_conversion_is_sent_without_a_saved_referral(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page()
    recorded.page.goto(widget_world.page("thanks.html", "order=fx-3001&amount=12"))
    recorded.page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    assert conversions_sent(recorded) == []
    assert [u for u in recorded.urls() if u.startswith(widget_world.api)] == []
    assert_clean_console(recorded)


@pytest.mark.parametrize(
    "query",
    ["ref=%3Cscript%3E&x=1", "ref=a&x=1", "ref=" + "a" * 40 + "&x=1", "click=forged.click.id&x=1"],
)
def test_a_malformed_referral_in_the_url_is_ignored_and_not_stored(
    widget_world: WidgetWorld, open_page: OpenPage, query: str
) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("landing.html", query))
    page.wait_for_function("() => !location.search.includes('ref=')")
    page.wait_for_load_state("networkidle")
    assert page.url == widget_world.page("landing.html", "x=1")
    assert page.context.cookies() == []
    assert page.get_by_text("sent you").count() == 0
    assert [u for u in recorded.urls() if u.startswith(widget_world.api)] == []
    assert any("bad referral code" in w for w in recorded.warnings())
    assert_clean_console(recorded)


def test_a_hostile_customer_name_is_shown_as_text(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("mallory@example.com", XSS)
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("panel.html", f"email=mallory%40example.com&name={quote(XSS)}"))
    page.get_by_text(f"Hi {XSS}, here is your link.", exact=True).wait_for()
    assert page.locator("img[src=x]").count() == 0
    # The friend's banner greets by first name: the markup still arrives as text.
    page.goto(f"{widget_world.api}/r/{referrer['code']}?to=fixture")
    page.get_by_text("<img sent you 15% off your first order", exact=True).wait_for()
    page.wait_for_load_state("networkidle")
    assert recorded.dialogs == []
    assert not any(u.endswith("/x") for u in recorded.urls())
    assert_clean_console(recorded)


def _purchased(world: WidgetWorld, token: str) -> dict[str, object] | None:
    """The stats once they show the purchase and the click: clicks reach them through the
    stream's rollups, every half second locally, not with the click's own write."""
    stats = world.stats(token)
    return stats if stats["purchases"] and stats["clicks"] else None


def test_the_site_owners_signature_travels_with_the_conversion(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    """Signed conversions (docs/fraud.md): the beacon's body and the pixel's `sig` carry the
    signature the shop's server put on its thank-you page."""
    signature = "ab" * 32
    sent: list[tuple[str, str | None]] = []
    for beacon in (True, False):
        referrer = widget_world.issue(f"sig{int(beacon)}@example.com", "Sig Ned")
        recorded = open_page()
        if not beacon:
            recorded.page.add_init_script("delete Navigator.prototype.sendBeacon;")
        recorded.page.on(
            "request",
            lambda r: (
                sent.append((r.url, r.post_data))
                if "/beacon" in r.url or "/p.gif" in r.url
                else None
            ),
        )
        recorded.page.goto(f"{widget_world.api}/r/{referrer['code']}?to=fixture")
        recorded.page.get_by_text("Sig sent you").wait_for()
        query = f"order=sig-{int(beacon)}&amount=10&sig={signature}"
        recorded.page.goto(widget_world.page("thanks.html", query))
        before = len(sent)
        wait_for(lambda: len(sent) > before)  # noqa: B023 - read while `before` is current
        assert_clean_console(recorded)
    beacon_url, body = sent[0]
    assert beacon_url.endswith("/beacon") and body is not None
    assert json.loads(body)["signature"] == signature
    pixel_url, _ = sent[1]
    assert f"sig={signature}" in pixel_url


def test_the_friends_banner_goes_once_the_visitor_scrolls_on(
    widget_world: WidgetWorld, open_page: Callable[..., RecordedPage]
) -> None:
    """The banner sits over the bottom of the page: it must not keep covering what is there
    (a panel's share buttons, a checkout button) once the visitor moves on."""
    referrer = widget_world.issue("jane.scroll@example.com", "Jane Doe")
    recorded = open_page(viewport={"width": 390, "height": 844})
    page = recorded.page
    page.goto(f"{widget_world.api}/r/{referrer['code']}?to=fixture")
    banner = page.get_by_role("status").filter(has_text="sent you")
    banner.wait_for()
    page.evaluate("document.body.style.minHeight = '3000px'")
    page.wait_for_timeout(2500)  # read first: scrolling within two seconds keeps it
    page.mouse.wheel(0, 600)
    page.get_by_text("sent you").wait_for(state="detached")
    assert_clean_console(recorded)
