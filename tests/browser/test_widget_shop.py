"""The demo shop of `referbee dev` without a referbee.yaml (the built-in demo program), end to
end in real Chromium, as a new site owner plays it: Jane signs in and shares her link; her
friend Sam follows it in another browser, sees the friend discount at checkout and buys; the
shop's server confirms the order; Jane's stats page shows the click, the purchase and her
reward. Jane buying through her own link is held for review, and the dashboard says so."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.common import BROWSER
from tests.e2e.stack import DevStack, request

from .site_stack import serious_accessibility_problems
from .support import RecordedPage, screenshot
from .widget_checks import assert_clean_console, conversions_sent, wait_for

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
JANE_BROWSER = BROWSER.replace("Chrome/", "Chrome/131.0 Jane/")
SAM_BROWSER = BROWSER.replace("Chrome/", "Chrome/130.0 Sam/")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DevStack]:
    """`referbee dev` in a folder without referbee.yaml: the built-in demo, its own admin key."""
    running = DevStack(tmp_path, admin_key=None).start()
    yield running
    running.stop()


def admin_key(stack: DevStack) -> str:
    return (stack.workdir / ".referbee" / "dev" / "admin_key").read_text().strip()


def sign_in(page: Page, customer: str) -> None:
    """The shop header's switcher; the page reloads as the chosen customer."""
    with page.expect_navigation():
        page.get_by_label("Signed in as").select_option(value=customer)


def panel(page: Page) -> str:
    text: str = page.locator("[data-referbee-panel]").inner_text()
    return text


def counter(page: Page, name: str) -> str:
    """The number a person reads next to `name` on the stats page."""
    cell = page.locator(f"dl.referbee-counters div:has(> dt:text-is('{name}')) > dd")
    return cell.inner_text()


def look(page: Page, name: str) -> None:
    """Phone and desktop screenshots of the page as it is, and no serious axe violation."""
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 844 if width == PHONE else 800})
        assert screenshot(page, name, width).stat().st_size > 0
        assert serious_accessibility_problems(page) == [], (name, width)


def jane_signed_in(demo: DevStack, open_page: Callable[..., RecordedPage]) -> RecordedPage:
    """Jane's browser (her own user agent) on the shop, signed in: her panel shows her link."""
    jane = open_page(user_agent=JANE_BROWSER, viewport={"width": DESKTOP, "height": 800})
    jane.page.goto(f"{demo.site}/shop/")
    sign_in(jane.page, "jane")
    jane.page.get_by_text("Hi Jane Doe, here is your link.").wait_for()
    return jane


def test_the_demo_shop_tells_the_whole_referral_story(
    demo: DevStack, open_page: Callable[..., RecordedPage]
) -> None:
    jane = jane_signed_in(demo, open_page)
    shop = jane.page
    referral_link = shop.locator("#rk-link").input_value()
    stats_link = shop.get_by_role("link", name="See all your stats").get_attribute("href")
    assert referral_link.startswith(f"{demo.api}/r/")
    assert stats_link and stats_link.startswith(f"{demo.site}/stats/?t=")
    assert "Ethiopia Guji" in shop.locator("main").inner_text()
    assert shop.locator("article .price").first.inner_text() == "$18.00"
    look(shop, "demo-shop")

    # Sam is another person in another browser (another profile, another user agent).
    sam = open_page(user_agent=SAM_BROWSER, viewport={"width": PHONE, "height": 844})
    page = sam.page
    page.goto(referral_link + "?ch=copy")
    page.get_by_text("Jane sent you 15% off your first order").wait_for()
    assert page.url == f"{demo.site}/shop/"
    sign_in(page, "sam")
    page.get_by_text("Hi Sam Lee, here is your link.").wait_for()
    assert page.locator("#rk-link").input_value() != referral_link  # his own link, not Jane's
    page.get_by_role("link", name="Buy Ethiopia Guji").click()

    page.get_by_text("Friend discount (15% off your first order)").wait_for()
    cart = page.locator("table.cart").inner_text()
    assert re.search(r"Ethiopia Guji\s+\$18\.00", cart), cart
    assert re.search(r"Friend discount \(15% off your first order\)\s+\u2212\$2\.70", cart), cart
    assert re.search(r"Total\s+\$15\.30", cart), cart
    look(page, "demo-checkout")
    # The corner launcher knows Sam is signed in: his link, not "Sign in to get your link".
    page.get_by_role("button", name="Refer a friend").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Hi Sam Lee, here is your link.").wait_for()
    assert "Sign in" not in dialog.inner_text()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Place order").click()
    page.get_by_text("Thank you for your order").wait_for()
    page.get_by_text("counted it for the link the customer came through").wait_for()
    assert not page.get_by_role("button", name="Report it again").is_visible()  # it was told
    assert re.search(r"Total\s+\$15\.30", page.locator("table.cart").inner_text())
    wait_for(lambda: conversions_sent(sam))  # the widget's convert: the browser's claim
    look(page, "demo-thanks")

    # Jane reads her stats page as a person would: the words and numbers next to them.
    mine = shop
    mine.set_viewport_size({"width": DESKTOP, "height": 800})

    def purchase_shown() -> bool:
        mine.goto(stats_link)
        mine.wait_for_selector("#referbee-stats[data-state=ready]")
        return counter(mine, "Purchases") == "1"

    assert wait_for(purchase_shown, timeout=20)
    assert counter(mine, "Clicks") == "1"
    assert counter(mine, "Revenue") == "$15.30"
    assert counter(mine, "Rewards earned") == "1"
    assert counter(mine, "Value of your rewards") == "$10.00"
    rewards = mine.locator("[data-slot=reward-items]").inner_text()
    assert re.fullmatch(r"\$10 store credit\s+approved", rewards.strip()), rewards
    assert "Copied link\n1 click" in mine.locator("[data-slot=channels]").inner_text()
    assert mine.locator(".referbee-greeting").inner_text().startswith("Hi Jane Doe")
    for recorded in (jane, sam):
        assert_clean_console(recorded)


def test_signing_out_leaves_nothing_private_and_an_own_purchase_is_held_for_review(
    demo: DevStack, open_page: Callable[..., RecordedPage]
) -> None:
    jane = jane_signed_in(demo, open_page)
    page = jane.page
    own_link = page.locator("#rk-link").input_value()
    sign_in(page, "")
    page.get_by_text("Sign in to get your referral link.").wait_for()
    assert "Jane" not in panel(page) and "stats" not in panel(page).lower()
    assert page.locator("#rk-link").count() == 0

    # Jane follows her own link and buys: the shop's server reports her email, the referrer's.
    page.goto(own_link)
    sign_in(page, "jane")
    page.get_by_role("link", name="Buy Colombia Huila").click()
    page.get_by_role("button", name="Place order").click()
    page.get_by_text("which holds it for review").wait_for()

    key = admin_key(demo)
    queue = request(
        "GET", f"{demo.api}/v1/programs/demo/reviews", headers={"Authorization": f"Bearer {key}"}
    ).json()["reviews"]
    assert [review["flags"] for review in queue] == [["self_referral:email"]]

    # The shop page points the owner at the dashboard, which shows what is held and why.
    page.goto(f"{demo.site}/shop/")
    page.get_by_role("link", name="analytics dashboard").click()
    page.fill("#referbee-admin-key", key)
    page.get_by_role("button", name="Show analytics").click()
    held = page.locator("[data-slot=held]")
    held.get_by_text("1 conversion is held for review").wait_for()
    assert "1 conversion: Same email as the referrer" in held.inner_text()
    assert "referbee review approve ID" in held.inner_text()
    look(page, "demo-dashboard-held")
    assert_clean_console(jane)
