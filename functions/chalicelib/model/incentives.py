"""What a program gives and when: the rewards of each side, the rules that trigger them,
tiers, limits and the attribution model (parsed from referbee.yaml by domain/config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .notifications import Emails, Webhook
from .payments import Recurring


@dataclass(frozen=True)
class Reward:
    """What one side of a referral gets, in words (`text`, and `texts` by language tag for
    readers of other languages) and as data."""

    text: str
    kind: str
    amount: Decimal | None = None
    currency: str | None = None
    percent: Decimal | None = None
    points: int | None = None
    texts: tuple[tuple[str, str], ...] = ()  # (language tag in lower case, text)

    def text_in(self, locale: str) -> str:
        """The words for a reader of `locale` (fr-CA, then fr, then `text`)."""
        found = dict(self.texts)
        tag = locale.lower()
        return found.get(tag) or found.get(tag.split("-")[0]) or self.text

    def public(self, locale: str = "") -> dict[str, Any]:
        """Its public fields; `text` in `locale`'s words when the program gives them."""
        data: dict[str, Any] = {"text": self.text_in(locale), "kind": self.kind}
        if self.texts:
            data["texts"] = dict(self.texts)
        if self.amount is not None:
            data["amount"] = float(self.amount)
            data["currency"] = self.currency
        if self.percent is not None:
            data["percent"] = float(self.percent)
        if self.points is not None:
            data["points"] = self.points
        return data


@dataclass(frozen=True)
class RewardRule:
    """What one side gets, and when: the conversion event that triggers it and its filters."""

    side: str
    reward: Reward
    event: str
    min_amount: Decimal | None = None
    first_purchase_only: bool = False
    pool: str = "default"


@dataclass(frozen=True)
class Tier:
    """A milestone: at `at` successful referrals the referrer gets `reward` and a badge."""

    name: str
    at: int
    badge: str
    reward: Reward
    pool: str = "default"

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "at": self.at,
            "reward": self.reward.public(),
            "badge": self.badge,
        }


@dataclass(frozen=True)
class Limits:
    """At most this many referral rewards per referrer, in total and per calendar month."""

    per_referrer: int | None = None
    per_month: int | None = None

    @property
    def any(self) -> bool:
        return self.per_referrer is not None or self.per_month is not None


@dataclass(frozen=True)
class Incentives:
    rules: tuple[RewardRule, ...]
    hold_days: int = 0
    tiers: tuple[Tier, ...] = ()
    limits: Limits = field(default_factory=Limits)
    attribution_model: str = "last_click"
    half_life_days: Decimal = Decimal(7)
    webhooks: tuple[Webhook, ...] = ()
    emails: Emails | None = None
    recurring: Recurring | None = None  # what a referred customer's later purchases earn

    def rule(self, side: str) -> RewardRule | None:
        return next((rule for rule in self.rules if rule.side == side), None)

    def tier_at(self, count: int) -> Tier | None:
        return next((tier for tier in self.tiers if tier.at == count), None)

    def webhooks_for(self, event_type: str) -> tuple[Webhook, ...]:
        return tuple(hook for hook in self.webhooks if event_type in hook.events)
