"""A new customer joins on the program page alone, in real Chromium against `referbee dev`:
the form answers their link at once, the private stats link arrives by email (an .eml file
the local stack wrote), and it opens their stats page; a customer who lost it asks for a
sign-in link, which works once."""

from __future__ import annotations

import email
import re
import time
from collections.abc import Iterator
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.stack import DevStack

from .site_stack import serious_accessibility_problems, start_site_stack
from .support import Recorded, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    running = start_site_stack(tmp_path_factory.mktemp("site-join"))
    yield running
    running.stop()


def mail_to(stack: DevStack, address: str, subject: str, *, after: float) -> Any:
    """The newest email to `address` whose subject has `subject`, written after `after`
    (the local stack's scheduler delivers the outbox every two seconds)."""
    outbox = Path(stack.workdir) / ".referbee" / "dev" / "outbox"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            if path.stat().st_mtime < after:
                continue
            message = email.message_from_bytes(path.read_bytes(), policy=default)
            if address in str(message["To"]) and subject in str(message["Subject"]):
                return message
        time.sleep(0.3)
    raise AssertionError(f"no email to {address} about {subject!r} in {outbox}")


def link_in(message: Any, pattern: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


def test_a_new_customer_joins_on_the_program_page_and_opens_their_stats_from_the_email(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    started = time.time() - 1
    page.goto(stack.site + "/#get-your-link")
    form = page.locator("form[data-referbee-join]")
    consent = form.locator(".referbee-email-form__note")
    assert "We keep your email address" in consent.inner_text()
    assert consent.get_by_role("link", name="What we store").get_attribute("href") == "#privacy"
    assert serious_accessibility_problems(page) == []

    # A typo is said in words next to the field, before anything is sent.
    page.fill("#referbee-join-email", "nora@")
    form.get_by_role("button", name="Get my link").click()
    error = form.locator(".referbee-email-form__error")
    assert error.inner_text() == "Enter your email address like name@example.com."
    assert page.locator("#referbee-join-email").get_attribute("aria-invalid") == "true"

    page.fill("#referbee-join-email", "nora@example.com")
    form.get_by_role("button", name="Get my link").click()
    page.get_by_text("We sent your private stats link to n…@example.com.").wait_for()
    assert form.is_hidden() and error.is_hidden()
    link = page.locator("#rk-link").input_value()
    assert re.fullmatch(re.escape(stack.api) + r"/r/[a-z0-9]+", link)
    assert page.get_by_role("img", name="QR code of your referral link").is_visible()
    for width in (390, 1280):
        screenshot(page, "program-joined", width)
    assert serious_accessibility_problems(page) == []

    message = mail_to(stack, "nora@example.com", "Your referral link", after=started)
    stats_url = link_in(message, re.escape(stack.site) + r"/stats/\?t=[A-Za-z0-9._-]+")
    page.goto(stats_url)
    page.wait_for_selector("#referbee-stats[data-state=ready]", timeout=15000)
    assert page.locator('[data-slot="link"]').input_value() == link
    assert recorded.errors == []


def test_a_sign_in_link_opens_the_stats_page_once(
    stack: DevStack, page: Any, recorded: Recorded
) -> None:
    started = time.time() - 1
    page.goto(stack.site + "/#get-your-link")
    page.fill("#referbee-join-email", "otto@example.com")
    page.locator("form[data-referbee-join]").get_by_role("button", name="Get my link").click()
    page.get_by_text("We sent your private stats link to o…@example.com.").wait_for()

    # Lost it: the stats page without its token offers to email a sign-in link.
    page.goto(stack.site + "/stats/")
    asking = page.locator("[data-view=no-token] form[data-referbee-signin]")
    asking.wait_for()
    assert serious_accessibility_problems(page) == []
    asking.locator("input[type=email]").fill("otto@example.com")
    asking.get_by_role("button", name="Email me my stats link").click()
    done = asking.locator(".referbee-email-form__done")
    done.wait_for()
    assert "It works once, within 30 minutes." in done.inner_text()

    message = mail_to(stack, "otto@example.com", "Sign in", after=started)
    signin_url = link_in(message, re.escape(stack.site) + r"/signin/\?[^\s]+")
    page.goto(signin_url)  # opening the link spends nothing: a mail scanner may do it
    page.goto(signin_url)
    open_stats = page.get_by_role("button", name="Open my stats")
    open_stats.wait_for()
    for width in (390, 1280):
        screenshot(page, "signin", width)
    assert serious_accessibility_problems(page) == []
    open_stats.click()
    page.wait_for_selector("#referbee-stats[data-state=ready]", timeout=15000)
    assert "/stats/?t=" in page.url

    # The same link again: used up, and the page offers to send a new one.
    page.goto(signin_url)
    page.get_by_role("button", name="Open my stats").click()
    expired = page.locator("[data-view=expired]")
    expired.wait_for()
    assert "expired or was already used" in expired.inner_text()
    assert expired.locator("form[data-referbee-signin]").is_visible()
    assert serious_accessibility_problems(page) == []
