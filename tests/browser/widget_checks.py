"""Assertions shared by the widget's browser tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.common import BROWSER

from .support import RecordedPage
from .widget_env import WidgetWorld

CONVERSION_PATHS = ("/beacon", "/p.gif")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def assert_only_known_hosts(recorded: RecordedPage, world: WidgetWorld) -> None:
    """The widget talks to the API and its own origin only (the page to its own)."""
    strangers = [url for url in recorded.urls() if origin(url) not in world.origins()]
    assert strangers == []


def conversions_sent(recorded: RecordedPage) -> list[str]:
    return [url for url in recorded.urls() if urlsplit(url).path.endswith(CONVERSION_PATHS)]


def assert_clean_console(recorded: RecordedPage) -> None:
    assert recorded.errors == []
    assert recorded.console_errors() == []
    assert recorded.dialogs == []


def network_errors_only(recorded: RecordedPage) -> None:
    """For pages whose API is down on purpose: the browser logs each failed request itself;
    nothing else may be an error."""
    assert recorded.errors == []
    assert all(text.startswith("Failed to load resource") for text in recorded.console_errors())


def click_link(world: WidgetWorld, code: str, query: str = "") -> str:
    """Follow a referral link as a browser would (counted); returns the redirect target."""
    reply = _get(world, f"{world.api}/r/{code}{query}")
    assert reply.status == 302
    return reply.headers["location"]


def wait_for(check: Callable[[], Any], timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def shadow_text(page: Page, host: str = "[data-referbee-panel]") -> str:
    text: str = page.eval_on_selector(host, "el => el.shadowRoot ? el.shadowRoot.textContent : ''")
    return text


def _get(world: WidgetWorld, url: str) -> Any:
    from tests.e2e.stack import request

    return request("GET", url, headers={"User-Agent": BROWSER})
