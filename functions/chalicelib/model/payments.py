"""Payments: what a program reads from Stripe and Shopify, and the personal discount codes that
attribute a purchase without a click (parsed from referbee.yaml by domain/config/payments.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .losses import Loss

ORGANIC_RECORD = "record"  # a paid order nothing ties to a referrer counts as organic
ORGANIC_IGNORE = "ignore"  # ... or is acknowledged and left out
ORGANIC_POLICIES = (ORGANIC_RECORD, ORGANIC_IGNORE)
CODE_PLACEHOLDER = "{code}"


@dataclass(frozen=True)
class PaymentSettings:
    """The signing secrets of the program's Stripe and Shopify webhooks (None: that provider
    is not connected) and what becomes of a paid order without a referral."""

    stripe_secret: str | None = None
    shopify_secret: str | None = None
    organic: str = ORGANIC_RECORD
    # A Stripe API key that may read promotion codes: a session names the promotion code a
    # customer typed by its id only, and this reads its code (docs/payments.md).
    stripe_api_key: str | None = None


@dataclass(frozen=True)
class DiscountCodes:
    """Each referrer's personal discount code: the pattern with their referral code in it,
    shown in capitals and matched without regard to case ("{code}": the referral code
    itself)."""

    pattern: str = CODE_PLACEHOLDER

    def code_for(self, referral_code: str) -> str:
        return self.pattern.replace(CODE_PLACEHOLDER, referral_code).upper()

    def referral_code_in(self, discount_code: str) -> str:
        """The referral code a discount code was made from ("" when it cannot be one)."""
        prefix, _, suffix = self.pattern.upper().partition(CODE_PLACEHOLDER.upper())
        given = discount_code.strip().upper()
        if len(given) <= len(prefix) + len(suffix) or len(given) > 100:
            return ""
        if not (given.startswith(prefix) and given.endswith(suffix)):
            return ""
        return given[len(prefix) : len(given) - len(suffix)].lower()


@dataclass(frozen=True)
class Recurring:
    """What a referrer earns on a referred customer's later purchases (renewals, repeat
    orders): `percent` of each, for `months` after the customer's first purchase and at most
    `limit` times (None: no bound)."""

    text: str
    percent: Decimal
    months: int | None = None
    limit: int | None = None


@dataclass(frozen=True)
class PaymentFacts:
    """What is known of one payment provider object (a payment, an order, a subscription),
    kept by whichever webhook event learns it first, so that events arriving in any order
    meet: the order (conversion) it belongs to, whether that purchase is recorded, every
    refund and dispute reported for it, and when a subscription ended."""

    order: str = ""
    recorded: bool = False
    losses: tuple[Loss, ...] = ()
    ended_at: float = 0.0


@dataclass(frozen=True)
class Receipt:
    """A webhook event handled: by its provider's event id, with what it did."""

    program: str
    provider: str  # stripe | shopify
    event_id: str
    event_type: str
    handled_at: float
    outcome: str
