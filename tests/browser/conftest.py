"""Shared browser fixtures: one Debian Chromium per session, pages that record their requests,
console messages and uncaught errors, and screenshots saved into tests/browser/shots/.

Pages use a desktop Chrome user agent: headless Chromium says "HeadlessChrome", which referbee
rightly counts as a bot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.common import BROWSER

from .support import CHROMIUM, CHROMIUM_ARGS, Recorded, RecordedPage


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., RecordedPage]]:
    """open_page(**context options) -> a fresh context's page that records what it does."""
    contexts: list[Any] = []

    def factory(**options: Any) -> RecordedPage:
        options.setdefault("user_agent", BROWSER)
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        recorded = RecordedPage(page)
        page.on("request", lambda r: recorded.requests.append((r.method, r.url)))
        page.on("console", lambda m: recorded.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: recorded.errors.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            recorded.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return recorded

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def recorded() -> Recorded:
    return Recorded()


@pytest.fixture
def page(browser: Browser, recorded: Recorded) -> Iterator[Page]:
    """A 1280 px page whose requests and errors land in the `recorded` fixture."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=BROWSER)
    tab = context.new_page()
    tab.on("request", lambda request: recorded.requests.append(request.url))
    tab.on(
        "console",
        lambda message: recorded.errors.append(message.text) if message.type == "error" else None,
    )
    tab.on("pageerror", lambda error: recorded.errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture(scope="session")
def widget_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`referbee dev` plus a second origin serving the widget's fixture pages (widget_env.py)."""
    from .widget_env import start_world

    world, shop = start_world(tmp_path_factory.mktemp("widget"))
    yield world
    shop.shutdown()
    world.stack.stop()
