"""The demo shop that `referbee dev` serves, end to end in real Chromium: a customer's panel, a
friend's visit through the shared link, and the friend's purchase in the customer's stats."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.common import BROWSER

from .support import RecordedPage, save_screenshot
from .widget_checks import assert_clean_console, assert_only_known_hosts, wait_for
from .widget_env import WidgetWorld

pytestmark = pytest.mark.browser


def test_demo_shop_referral_loop(
    widget_world: WidgetWorld, open_page: Callable[..., RecordedPage]
) -> None:
    customer = open_page()
    shop = customer.page
    shop.goto(f"{widget_world.site}/shop/")
    link = shop.locator("#rk-link")
    link.wait_for()
    referral_link = link.input_value()
    save_screenshot(shop, "demo-shop-1280")
    token = widget_world.issue("jane@example.com")["stats_token"]  # the shop's customer

    # The friend is another person, in another browser: the referrer's own browser buying
    # through their link is a self-referral, held for review (docs/fraud.md).
    friend = open_page(user_agent=BROWSER.replace("Chrome/", "Chrome/130.0 Friend/"))
    page = friend.page
    page.goto(referral_link + "?ch=copy")
    page.get_by_text("Jane sent you 15% off your first order").wait_for()
    assert page.url == f"{widget_world.site}/shop/"
    page.get_by_role("link", name="Buy").first.click()
    page.get_by_role("button", name="Get $10").wait_for()  # the launcher on the checkout page
    page.get_by_role("button", name="Place order").click()
    page.get_by_text("Thank you for your order").wait_for()
    stats = wait_for(lambda: (s := widget_world.stats(token))["purchases"] and s)
    assert stats["revenue"] == {"USD": 18}
    assert stats["channels"].get("copy") == 1
    for recorded in (customer, friend):
        assert_only_known_hosts(recorded, widget_world)
        assert_clean_console(recorded)
