"""Stripe checkouts in real Chromium against `referbee dev`: on a referred visitor's pages the
widget gives links to Stripe Payment Links, and buttons marked `data-referbee-checkout`, the
referral as `client_reference_id` (letters, digits, - and _ only, at most 200 characters,
which the API reads back to the same click); links the page adds later get it when clicked;
nothing changes for visitors nobody referred. The referrer's panel shows their discount code."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from chalicelib.domain.referrals.references import read_reference
from chalicelib.domain.trust.signing import Signer

from .support import RecordedPage
from .widget_checks import assert_clean_console, shadow_text
from .widget_env import WidgetWorld

pytestmark = pytest.mark.browser

OpenPage = Callable[..., RecordedPage]
STRIPE_REFERENCE = re.compile(r"[A-Za-z0-9_-]{1,200}")


def signer_of(world: WidgetWorld) -> Signer:
    secret = (world.stack.workdir / ".referbee" / "dev" / "secret").read_text().strip()
    return Signer(secret.encode())


def test_checkout_links_and_buttons_carry_the_referral_stripe_accepts(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("casey.checkout@example.com", "Casey Checkout")
    recorded = open_page()
    page = recorded.page
    page.goto(f"{widget_world.api}/r/{referrer['code']}?to=fixture")
    page.wait_for_url(re.compile(r"/landing\.html"))
    page.goto(widget_world.page("checkout.html"))
    page.wait_for_function("() => window.referbee && window.referbee.clickId")

    link = page.locator("#link").get_attribute("href") or ""
    reference = parse_qs(urlsplit(link).query)["client_reference_id"][0]
    assert parse_qs(urlsplit(link).query)["prefilled_email"] == ["a@b.example"]
    assert STRIPE_REFERENCE.fullmatch(reference)
    code, click_id, click = read_reference(signer_of(widget_world), reference)
    assert code == referrer["code"] and click is not None
    assert click_id.replace(".", "X") == reference
    assert page.locator("#subscribe").get_attribute("client-reference-id") == reference
    assert page.evaluate("referbee.clickId()") == reference
    assert page.locator("#other").get_attribute("href") == "https://example.com/elsewhere"

    # A Payment Link the page adds later carries it when the customer follows it.
    followed: list[str] = []
    page.route(
        "https://buy.stripe.com/**",
        lambda route: (followed.append(route.request.url), route.fulfill(body="Stripe"))[1],
    )
    page.evaluate(
        """() => { const a = document.createElement('a'); a.id = 'late';
        a.href = 'https://buy.stripe.com/test_late'; a.textContent = 'Late';
        document.body.append(a); }"""
    )
    page.locator("#late").click()
    page.wait_for_url("https://buy.stripe.com/**")
    assert followed == [f"https://buy.stripe.com/test_late?client_reference_id={reference}"]
    assert_clean_console(recorded)


def test_visitors_nobody_referred_check_out_untouched(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    recorded = open_page()
    page = recorded.page
    page.goto(widget_world.page("checkout.html"))
    page.wait_for_function("() => window.referbee && window.referbee.clickId")
    assert page.locator("#link").get_attribute("href") == (
        "https://buy.stripe.com/test_8wM5kkd3B7gf?prefilled_email=a%40b.example"
    )
    assert page.locator("#subscribe").get_attribute("client-reference-id") is None
    assert page.evaluate("referbee.clickId()") == ""
    assert_clean_console(recorded)


def test_the_panel_shows_the_referrers_discount_code(
    widget_world: WidgetWorld, open_page: OpenPage
) -> None:
    referrer = widget_world.issue("dana.discount@example.com", "Dana Discount")
    recorded = open_page()
    page = recorded.page
    query = f"email={quote('dana.discount@example.com')}&name=Dana"
    page.goto(widget_world.page("panel.html", query))
    page.locator("dl dd").first.wait_for()
    assert f"Friends can also use your code {referrer['code'].upper()}" in shadow_text(page)
    assert referrer["discount_code"] == referrer["code"].upper()
