"""What browser tests share besides fixtures: Debian's Chromium and its flags, pages that
record what they did, and screenshots saved into tests/browser/shots/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "shots"


@dataclass
class RecordedPage:
    page: Page
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, url)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages

    def urls(self, method: str | None = None) -> list[str]:
        return [url for m, url in self.requests if method is None or m == method]

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]

    def warnings(self) -> list[str]:
        return [text for kind, text in self.console if kind == "warning"]


@dataclass
class Recorded:
    """What the `page` fixture's page did: request URLs, console errors and page errors."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def screenshot(page: Page, name: str, width: int) -> Path:
    """Resize `page` to `width` CSS pixels and save a full-page screenshot `name-width.png`."""
    height = page.viewport_size["height"] if page.viewport_size else 900
    page.set_viewport_size({"width": width, "height": height})
    return save_screenshot(page, f"{name}-{width}")
