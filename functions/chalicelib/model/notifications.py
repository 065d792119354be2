"""A program's notification settings: webhook endpoints and email templates."""

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
    """Where a program's emails come from and what they say, in the program's language.

    Reward emails (`reward_earned`, `tier_reached`) end with `footer`, an unsubscribe line;
    account emails (`stats_link`, `sign_in`) are sent because someone asked for them with the
    address, so they carry none and are sent to referrers who unsubscribed too."""

    sender: str
    reply_to: str | None
    reward_earned: EmailTemplate
    tier_reached: EmailTemplate
    stats_link: EmailTemplate
    sign_in: EmailTemplate
    unnamed: str = "there"  # what {name} becomes for a referrer who gave no name
    footer: str = "To stop these emails: {unsubscribe}"

    def template(self, name: str) -> EmailTemplate:
        """The template called `name` (one of TEMPLATES)."""
        if name not in TEMPLATES:
            raise KeyError(name)
        template: EmailTemplate = getattr(self, name)
        return template


REWARD_TEMPLATES = ("reward_earned", "tier_reached")
ACCOUNT_TEMPLATES = ("stats_link", "sign_in")
TEMPLATES = REWARD_TEMPLATES + ACCOUNT_TEMPLATES
