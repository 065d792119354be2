"""A program's notification settings: webhook endpoints and reward email templates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str
    events: tuple[str, ...]

    @property
    def id(self) -> str:
        """Stable while the URL stays the same, whatever the order of the list."""
        return hashlib.sha256(self.url.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class EmailTemplate:
    subject: str
    body: str


@dataclass(frozen=True)
class Emails:
    sender: str
    reply_to: str | None
    reward_earned: EmailTemplate
    tier_reached: EmailTemplate
