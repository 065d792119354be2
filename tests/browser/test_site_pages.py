"""The program page and the leaderboard in real Chromium against `referbee dev` over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.stack import DevStack

from .site_stack import (
    NAME,
    new_referrer,
    only_local,
    purchase,
    serious_accessibility_problems,
    start_site_stack,
)
from .support import Recorded, screenshot

pytestmark = pytest.mark.browser
PEOPLE = [
    ("jane.doe@example.com", "Jane Doe", 3),
    ("john@example.com", "John Smithson", 2),
    ("maria@example.com", "Maria Gonzalez-Ruiz", 1),
    ("sam@example.com", "sam@example.com", 1),
    ("zoe@example.com", "Zoe Quill", 0),
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    running = start_site_stack(tmp_path_factory.mktemp("site-pages"))
    yield running
    running.stop()


def test_program_page_explains_the_program_in_its_own_words(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{stack.site}/")
    assert page.title() == f"Refer a friend - {NAME}"  # the HTML in the name is text
    assert page.locator(".md-header__topic").first.inner_text() == NAME
    assert page.locator("b", has_text="There").count() == 0 and dialogs == []
    pitch = page.locator(".referbee-pitch").inner_text()
    assert pitch == f"Share {NAME} and your friends get 15% off your first order."
    rewards = page.locator("table.referbee-rewards tbody").inner_text()
    assert "$10 store credit" in rewards and "15% off your first order" in rewards
    assert page.locator(".referbee-steps li").count() == 3
    assert page.locator(".referbee-faq details").count() == 3
    assert page.locator(".md-logo img").first.get_attribute("src").endswith("assets/brand/logo.svg")

    page.click("[data-referbee-cta]")
    assert page.url.endswith("#get-your-link")
    assert page.locator(".referbee-get-link__how").is_visible()
    assert page.locator("a", has_text="See the leaderboard").get_attribute("href") == (
        "leaderboard/"
    )
    assert recorded.errors == []
    assert only_local(recorded.requests, stack) == []
    for width in (1280, 390, 320):  # desktop, phone, the narrowest phone
        screenshot(page, "program", width)
        assert serious_accessibility_problems(page) == [], width
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert serious_accessibility_problems(page) == []
    screenshot(page, "program-dark", 1280)


def test_theme_toggle_switches_and_remembers_the_scheme(stack: DevStack, page: Any) -> None:
    page.goto(f"{stack.site}/")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.click("label[for=__palette_1]")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"


def test_leaderboard_shows_masked_names_and_the_viewers_rank(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    referrers = {}
    for index, (email, name, successes) in enumerate(PEOPLE):
        referrer = new_referrer(stack, email, name)
        for n in range(successes):
            purchase(stack, referrer["code"], f"board-{index}-{n}", 12)
        referrers[email] = referrer
    zoe = referrers["zoe@example.com"]
    page.goto(f"{stack.site}/leaderboard/?t={zoe['stats_token']}")
    page.wait_for_selector("#referbee-leaderboard[data-state=ready]")
    rows = page.locator("tbody[data-slot=rows] tr")
    shown = [rows.nth(i).inner_text().split("\t") for i in range(rows.count())]
    assert shown[0] == ["#1", "Jane D.", "3"]
    assert shown[1] == ["#2", "John S.", "2"]
    assert sorted(row[1] for row in shown[2:]) == ["A referrer", "Maria G."]
    assert "not on the board yet" in page.locator("[data-slot=you]").inner_text()

    text = page.locator("body").inner_text() + page.content()
    assert "@" not in re.sub(r"@(media|keyframes|charset)", "", text)
    for _, name, _ in PEOPLE:
        if " " in name:
            assert name.split()[-1] not in text  # no full last name anywhere on the page
    assert recorded.errors == []
    assert only_local(recorded.requests, stack) == []
    for width in (1280, 390, 320):  # desktop, phone, the narrowest phone
        screenshot(page, "leaderboard", width)
        assert serious_accessibility_problems(page) == [], width

    jane = referrers["jane.doe@example.com"]
    page.goto(f"{stack.site}/leaderboard/?t={jane['stats_token']}")
    page.wait_for_selector("#referbee-leaderboard[data-state=ready]")
    assert page.locator("tr[aria-current=true]").inner_text().split("\t")[1] == "Jane D. (you)"
    assert page.locator("[data-slot=you]").inner_text().startswith("You are #1")
