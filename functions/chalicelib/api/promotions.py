"""Promotion codes a Stripe Checkout Session names by id only (`discounts[].promotion_code`):
with the program's `payments.stripe.api_key`, the Stripe webhook route reads each one's
customer-facing code from Stripe's API (the official library, one request per code) and hands
the session on with it expanded, as Stripe expands a field asked for, so the domain can match
it against the referrers' discount codes. Without a key the session goes on as it came."""

from __future__ import annotations

from typing import Any

from ..model.errors import UnavailableError
from ..observability import logger, metrics

SESSION_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def with_promotion_codes(
    event_type: str, session: dict[str, Any], api_key: str | None, api_base: str | None
) -> dict[str, Any]:
    discounts = session.get("discounts")
    if event_type not in SESSION_EVENTS or not api_key or not isinstance(discounts, list):
        return session
    named = [
        d for d in discounts if isinstance(d, dict) and isinstance(d.get("promotion_code"), str)
    ]
    if not named:
        return session
    import stripe

    client = stripe.StripeClient(
        api_key, base_addresses={"api": api_base} if api_base else None, max_network_retries=1
    )
    expanded: list[Any] = []
    for discount in discounts:
        promotion = discount.get("promotion_code") if isinstance(discount, dict) else None
        if isinstance(promotion, str) and promotion:
            code = _code_of(stripe, client, promotion)
            if code:
                discount = {**discount, "promotion_code": {"id": promotion, "code": code}}
        expanded.append(discount)
    return {**session, "discounts": expanded}


def _code_of(stripe: Any, client: Any, promotion: str) -> str:
    try:
        found = client.v1.promotion_codes.retrieve(promotion)
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        # Stripe retries the event later, when the promotion code can be read.
        raise UnavailableError("Stripe's API did not answer for a promotion code.") from exc
    except stripe.StripeError as exc:
        # A key that may not read promotion codes, or one of another account: waiting will not
        # help; the session is attributed without it, and the marketer is told in the logs.
        logger.error(
            "promotion code not readable", extra={"promotion": promotion, "error": str(exc)}
        )
        metrics.add_metric(name="PromotionCodesUnread", unit="Count", value=1)
        return ""
    code = getattr(found, "code", "")
    return code if isinstance(code, str) else ""
