"""Stripe's amounts: integers in the currency's smallest unit as Stripe counts it. That is the
ISO 4217 exponent for most currencies, but not all (https://docs.stripe.com/currencies):
Stripe's zero-decimal currencies include MGA, and ISK, HUF and TWD stay two-decimal in its API
(amounts in hundredths, whole units only). The result is in the currency's own minor unit
(model/currencies.py)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ....model.currencies import CURRENCIES, minor_digits

ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())


def currency_of(raw: Any) -> str:
    """Stripe's lower-case currency code in capitals; "" when it is not one we know."""
    code = raw.upper() if isinstance(raw, str) else ""
    return code if code in CURRENCIES else ""


def stripe_amount(raw: Any, currency: str) -> Decimal | None:
    """An amount from Stripe in units of `currency`; None when it is not an amount."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not currency:
        return None
    step = Decimal(1).scaleb(-minor_digits(currency))
    return Decimal(raw).scaleb(-stripe_digits(currency)).quantize(step, rounding=ROUND_HALF_UP)


def stripe_minor(amount: Decimal, currency: str) -> int:
    """An amount as Stripe writes it: an integer in its smallest unit of `currency`."""
    return int(amount.scaleb(stripe_digits(currency)).to_integral_value(ROUND_HALF_UP))


def stripe_digits(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL else 3 if currency in THREE_DECIMAL else 2
