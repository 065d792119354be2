"""The private stats page in real Chromium against `referbee dev` over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.common import PHONE
from tests.e2e.stack import DevStack, request

from .site_stack import (
    KEY,
    OTHER,
    PROGRAM,
    click,
    new_referrer,
    only_local,
    purchase,
    serious_accessibility_problems,
    signup,
    start_site_stack,
    stats,
)
from .support import Recorded, screenshot
from .widget_checks import wait_for

pytestmark = pytest.mark.browser
TABLET = "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    running = start_site_stack(tmp_path_factory.mktemp("site-stats"))
    yield running
    running.stop()


def ready(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#referbee-stats[data-state=ready]", timeout=15000)


def test_stats_page_shows_exactly_what_the_api_returns(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    jane = new_referrer(stack, "jane@example.com", "Jane Doe")
    code = jane["code"]
    click(stack, code)
    click(stack, code, PHONE, "email")
    click(stack, code, PHONE, "x")
    click(stack, code, TABLET, "whatsapp")
    signup(stack, code, "s-1")
    purchase(stack, code, "o-1", 36.5)
    purchase(stack, code, "o-2", 12, email="jane@example.com")  # her own: held for review
    # The clicks reach the stats once the stack's rollups have read them from the stream
    # (twice a second), not with the redirect.
    wait_for(lambda: stats(stack, jane["stats_token"])["clicks"] == 4)
    expected = stats(stack, jane["stats_token"])
    assert expected["clicks"] == 4 and expected["purchases"] == 1  # the activity registered
    assert expected["checking"] == {"signups": 0, "purchases": 1}

    ready(page, jane["stats_url"])
    for name in ("clicks", "unique_clicks", "signups", "purchases", "successful_referrals"):
        cell = page.locator(f'[data-counter="{name}"]')
        assert cell.get_attribute("data-value") == str(expected[name]), name
        assert cell.inner_text() == str(expected[name]), name
    revenue = page.locator('[data-counter="revenue"]')
    assert json.loads(revenue.get_attribute("data-value")) == expected["revenue"]
    assert "$36.50" in revenue.inner_text()
    assert page.locator("#referbee-link-input").input_value() == expected["link"]
    assert "Jane Doe" in page.locator('[data-slot="greeting"]').inner_text()
    assert page.locator('[data-slot="checking"]').inner_text() == (
        "1 purchase is being checked by the shop, and will count here once confirmed."
    )

    channels = page.locator("li[data-channel]")
    shown = {
        channels.nth(i).get_attribute("data-channel"): int(
            channels.nth(i).get_attribute("data-value")
        )
        for i in range(channels.count())
    }
    assert shown == expected["channels"]

    check_chart(page, expected, days=30)
    page.click('button[data-days="90"]')
    check_chart(page, expected, days=90)
    assert page.get_attribute('button[data-days="90"]', "aria-pressed") == "true"

    check_tier(page, expected)
    assert recorded.errors == []
    assert only_local(recorded.requests, stack) == []
    assert any(url.startswith(f"{stack.api}/v1/stats/") for url in recorded.requests)
    page.click('button[data-days="30"]')
    for width in (1280, 390, 320):  # desktop, phone, the narrowest phone
        assert screenshot(page, "stats", width).stat().st_size > 0
        assert serious_accessibility_problems(page) == [], width
    page.emulate_media(color_scheme="dark")
    ready(page, jane["stats_url"])
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert serious_accessibility_problems(page) == []
    screenshot(page, "stats-dark", 320)


def check_chart(page: Any, expected: dict[str, Any], days: int) -> None:
    points = page.locator('[data-series="clicks"] circle')
    assert points.count() == days  # one point per day, zeros included
    dates = [points.nth(i).get_attribute("data-date") for i in range(days)]
    assert len(set(dates)) == days and dates == sorted(dates)
    values = {d: int(points.nth(i).get_attribute("data-value")) for i, d in enumerate(dates)}
    for day in expected["daily"]:
        assert values[day["date"]] == day["clicks"]
    assert sum(values.values()) == expected["clicks"]
    bars = page.locator('[data-series="conversions"] rect')
    assert bars.count() == days
    total = sum(int(bars.nth(i).get_attribute("data-value")) for i in range(days))
    assert total == expected["signups"] + expected["purchases"]


def check_tier(page: Any, expected: dict[str, Any]) -> None:
    section = page.locator('[data-section="tier"]')
    tier = expected.get("tier")
    if not tier or not (tier.get("current") or tier.get("next")):
        assert section.is_hidden()  # no tiers in this program: no bar, no empty box
        return
    bar = page.locator('[data-slot="tier-bar"]')
    assert bar.get_attribute("aria-valuenow") == str(round(tier["progress"] * 100))


def test_tier_bar_and_rewards_follow_the_api_fields_when_present(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    """The stats contract's `tier` and `rewards` fields (filled by reward rules) are added to
    the real API answer on its way to the page; the page must draw exactly those."""
    ann = new_referrer(stack, "ann@example.com", "Ann Lee")
    purchase(stack, ann["code"], "ann-1", 20)
    tier = {
        "current": {"name": "Silver", "at": 1, "badge": "🥈"},
        "next": {"name": "Gold", "at": 5},
        "progress": 0.25,
    }
    # The shape of domain/rewards/standing.rewards_summary: counts, and their value as money.
    rewards = {
        "earned": 3,
        "pending": 2,
        "approved": 1,
        "value": {"USD": 30},
        "items": [
            {"text": "$10 store credit", "status": "approved"},
            {"text": "$10 store credit", "status": "pending"},
        ],
    }

    def add_fields(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        route.fulfill(response=response, json={**body, "tier": tier, "rewards": rewards})

    page.route(f"{stack.api}/v1/stats/**", add_fields)
    ready(page, ann["stats_url"])
    bar = page.locator('[data-slot="tier-bar"]')
    assert bar.get_attribute("aria-valuenow") == "25"
    width = page.evaluate(
        "() => document.querySelector('.referbee-bar__fill').getBoundingClientRect().width /"
        " document.querySelector('.referbee-bar').getBoundingClientRect().width"
    )
    assert width == pytest.approx(0.25, abs=0.01)
    assert page.locator('[data-slot="tier-text"]').inner_text() == "🥈 You are in the Silver tier."
    assert (
        "4 more successful referrals to reach Gold"
        in page.locator('[data-slot="tier-legend"]').inner_text()
    )
    # Counts are counts, money is money.
    assert page.locator('[data-counter="rewards-earned"]').inner_text() == "3"
    assert page.locator('[data-counter="rewards-pending"]').inner_text() == "2"
    assert page.locator('[data-counter="rewards-value"]').inner_text() == "$30.00"
    assert page.locator('[data-slot="checking"]').is_hidden()  # nothing held: nothing said
    lines = page.locator('[data-slot="reward-items"] li').all_inner_texts()
    assert [" ".join(line.split()) for line in lines] == [
        "$10 store credit approved",
        "$10 store credit on its way",
    ]
    assert recorded.errors == []
    screenshot(page, "stats-tiers", 1280)

    # A badge that is only the tier's name (the default) is not said twice.
    tier["current"] = {"name": "Silver", "at": 1, "badge": "Silver"}
    ready(page, ann["stats_url"])
    assert page.locator('[data-slot="tier-text"]').inner_text() == "You are in the Silver tier."


def test_missing_unknown_and_unreachable_states(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    page.goto(f"{stack.site}/stats/")
    page.wait_for_selector("#referbee-stats[data-state=no-token]")
    assert page.locator('[data-view="no-token"]').is_visible()
    assert serious_accessibility_problems(page) == []

    page.goto(f"{stack.site}/stats/?t=abc2345.1.notarealsignature")
    page.wait_for_selector("#referbee-stats[data-state=not-found]")
    message = page.locator('[data-slot="not-found-message"]').inner_text()
    assert "not valid" in message

    bob = new_referrer(stack, "bob@example.com", "Bob")
    page.route(f"{stack.api}/**", lambda route: route.abort("connectionrefused"))
    page.goto(bob["stats_url"])
    page.wait_for_selector("#referbee-stats[data-state=unreachable]")
    assert page.locator('[data-view="unreachable"] h2').inner_text() == (
        "We can't reach the referral service"
    )
    page.wait_for_function(
        "document.querySelector('[data-slot=retry-note]').textContent.includes('Trying again')"
    )
    screenshot(page, "stats-unreachable", 320)
    page.unroute(f"{stack.api}/**")
    page.click('[data-view="unreachable"] [data-action="retry"]')
    page.wait_for_selector("#referbee-stats[data-state=ready]")
    assert page.locator('[data-counter="clicks"]').inner_text() == "0"
    assert page.locator('[data-slot="empty-note"]').is_visible()
    assert only_local(recorded.requests, stack) == []
    assert all("ERR_CONNECTION_REFUSED" in e or "404" in e for e in recorded.errors)


def test_a_token_of_another_program_opens_that_programs_own_stats_page(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    tea = new_referrer(stack, "tina@example.com", "Tina", program=OTHER)
    assert tea["stats_url"].startswith(f"{stack.site}/stats/?t=")  # one stats address
    page.goto(tea["stats_url"])
    page.wait_for_url(f"{stack.site}/programs/{OTHER}/stats/?t=*")
    page.wait_for_selector("#referbee-stats[data-state=ready]")
    assert page.locator(".md-header__topic").first.inner_text() == "Tea Time"
    assert page.locator('[data-counter="clicks"]').inner_text() == "0"
    assert recorded.errors == []


def test_site_build_names_no_other_host(stack: DevStack) -> None:
    """The dev stack built the site with its API address: no other host is referenced
    (referbee.json names the site's own address, which is not another host)."""
    from referbee.site.audit import foreign_references, missing_files

    site = Path(stack.workdir) / ".referbee" / "dev" / "site"
    assert (site / "stats" / "index.html").exists()
    assert foreign_references(site, {stack.api, stack.site}) == []
    api_only = foreign_references(site, {stack.site})
    assert api_only and all(stack.api in line for line in api_only)  # the API, and only it
    assert missing_files(site) == []


def test_the_discount_code_and_a_refunds_adjustment_show_on_the_stats_page(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    """A paid reward whose order is refunded is not skipped: its clawback is a negative
    adjustment, listed with why and netted in the value earned."""
    kim = new_referrer(stack, "kim.refund@example.com", "Kim Refund")
    purchase(stack, kim["code"], "o-refunded", 50)
    auth = {"Authorization": f"Bearer {KEY}"}
    approved = request(
        "GET", f"{stack.api}/v1/programs/{PROGRAM}/rewards?status=approved", None, auth
    ).json()["rewards"]
    paid = next(r for r in approved if r["ref"] == kim["code"] and r["side"] == "referrer")
    assert (
        request(
            "POST", f"{stack.api}/v1/programs/{PROGRAM}/rewards/{paid['id']}/paid", {}, auth
        ).status
        == 200
    )
    refund = f"{stack.api}/v1/programs/{PROGRAM}/conversions/o-refunded/refund"
    assert request("POST", refund, {}, auth).status == 200
    expected = stats(stack, kim["stats_token"])
    assert expected["discount_code"] == kim["code"].upper()
    assert expected["rewards"]["value"] == {"USD": 0}  # paid 10, then 10 taken back

    ready(page, kim["stats_url"])
    shown = page.locator('[data-slot="discount-code"]')
    assert shown.is_visible()
    assert kim["code"].upper() in shown.inner_text()
    items = [
        " ".join(li.split())
        for li in page.locator('[data-slot="reward-items"] li').all_inner_texts()
    ]
    assert "$10 store credit -$10.00 taken back: the order was refunded" in items
    assert "$10 store credit taken back" in items  # the paid reward, now a clawback
    assert recorded.errors == []
