"""How a program looks and what its site and widget say: brand, site texts, widget texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Brand:
    """How the program looks, on the site and in the widget."""

    primary_color: str = "#3f51b5"
    logo: str | None = None  # a local image file, relative to referbee.yaml
    favicon: str | None = None

    def public(self) -> dict[str, Any]:
        return {"primary_color": self.primary_color}


@dataclass(frozen=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True)
class SiteSettings:
    """What the program site says and shows. None means "not written: use the default"."""

    title: str | None = None
    pitch: str | None = None
    how_it_works: tuple[str, ...] | None = None
    terms: str | None = None
    faq: tuple[Question, ...] | None = None
    get_link: str | None = None
    privacy: str | None = None
    leaderboard: bool = False
    leaderboard_size: int = 10
    widget: bool = False


@dataclass(frozen=True)
class WidgetConfig:
    title: str | None = None  # the panel's heading
    launcher_text: str | None = None  # the floating button (data-launcher)
    copy_text: str | None = None  # the button that copies the referral link
    launcher_position: str = "right"

    def public(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "launcher_text": self.launcher_text,
            "copy_text": self.copy_text,
            "launcher_position": self.launcher_position,
        }
