"""Referral programs as declared in referbee.yaml: validated once (domain/config), then
read-only."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import NotFoundError
from .fraud import (
    BROWSER_AFTER_HOLD,
    BROWSER_PENDING,
    BROWSER_TRUSTED,
    FraudRules,
    RateLimits,
    TrustRules,
)
from .incentives import Incentives, Reward
from .payments import DiscountCodes, PaymentSettings
from .site import Brand, SiteSettings, WidgetConfig


@dataclass(frozen=True)
class Program:
    """One referral program: where links land, what each side gets, and its rules."""

    id: str
    name: str
    landing_url: str
    allowed_hosts: tuple[str, ...]
    currency: str
    attribution_window_days: int
    share_message: str
    referrer_reward: Reward
    friend_reward: Reward
    identity_secret: str | None = None
    landing_pages: Mapping[str, str] = field(default_factory=dict)
    success_event: str = "purchase"
    brand: Brand = field(default_factory=lambda: Brand())
    site: SiteSettings = field(default_factory=lambda: SiteSettings())
    widget: WidgetConfig = field(default_factory=lambda: WidgetConfig())
    incentives: Incentives = field(default_factory=lambda: Incentives(rules=()))
    fraud: FraudRules = field(default_factory=lambda: FraudRules())
    rate_limits: RateLimits = field(default_factory=lambda: RateLimits())
    trust: TrustRules = field(default_factory=lambda: TrustRules())
    origins: tuple[str, ...] = ()  # browser origins beyond the allowed hosts (docs/security.md)
    payments: PaymentSettings = field(default_factory=lambda: PaymentSettings())
    discount_codes: DiscountCodes = field(default_factory=lambda: DiscountCodes())
    locale: str = "en"  # the language of the program's emails (their default texts)

    def landing_for(self, page: str | None) -> str:
        """The configured URL for a named landing page; the main landing URL otherwise."""
        if page and page in self.landing_pages:
            return self.landing_pages[page]
        return self.landing_url

    def public(self, locale: str = "") -> dict[str, Any]:
        """What the widget and the site may show to anyone (reward texts in `locale`'s words
        when the program gives them)."""
        return {
            "id": self.id,
            "name": self.name,
            "landing_url": self.landing_url,
            "currency": self.currency,
            "attribution_window_days": self.attribution_window_days,
            "share_message": self.share_message,
            "rewards": {
                "referrer": self.referrer_reward.public(locale),
                "friend": self.friend_reward.public(locale),
            },
            "tiers": [tier.public() for tier in self.incentives.tiers],
            "success_event": self.success_event,
            "brand": self.brand.public(),
            "identity_required": self.identity_secret is not None,
            "locale": self.locale,
            "widget": self.widget.public(),
            "rules": self.rules_in_force(),
        }

    def rules_in_force(self) -> dict[str, Any]:
        """What earns a reward, as data for the words of the site's terms and the widget:
        each side's event (with first-purchase-only and minimum amount), the attribution
        window, the hold period, and how purchases a browser reports are confirmed
        (`confirmed`: by the shop's own report of the order; `after_hold`: or when the hold
        ends; `at_once`: not at all)."""
        sides: dict[str, Any] = {}
        for rule in self.incentives.rules:
            sides[rule.side] = {
                "event": rule.event,
                "first_purchase_only": rule.first_purchase_only,
                "min_amount": float(rule.min_amount) if rule.min_amount is not None else None,
                "currency": self.currency if rule.min_amount is not None else None,
            }
        confirmation = {
            BROWSER_PENDING: "confirmed",
            BROWSER_AFTER_HOLD: "after_hold",
            BROWSER_TRUSTED: "at_once",
        }[self.trust.browser_conversions]
        return {
            **sides,
            "attribution_window_days": self.attribution_window_days,
            "hold_days": self.incentives.hold_days,
            "confirmation": confirmation,
        }


@dataclass(frozen=True)
class Catalogue:
    """Every program of one deployment, by id."""

    programs: Mapping[str, Program]

    @functools.cached_property
    def longest_window_seconds(self) -> int:
        """How long any program can still credit a click: its longest attribution window."""
        return max(p.attribution_window_days for p in self.programs.values()) * 86400

    def get(self, program_id: str) -> Program:
        program = self.programs.get(program_id)
        if program is None:
            raise NotFoundError(f"There is no referral program '{program_id[:40]}'.")
        return program

    @property
    def default(self) -> Program:
        """The first program declared: where a visitor goes when nothing better is known."""
        return next(iter(self.programs.values()))

    def has_page(self, page: str) -> bool:
        """Whether any program names a landing page `page`: only such names are counted on
        a click (before its program is known), so a request cannot invent counters."""
        return any(page in program.landing_pages for program in self.programs.values())
