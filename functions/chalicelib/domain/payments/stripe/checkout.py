"""`checkout.session.completed` and `checkout.session.async_payment_succeeded`: a Checkout
Session (or a Payment Link's) that was paid. Its referral is the `client_reference_id` the
widget set (or `metadata.referbee`), else a promotion code's coupon that is a referrer's
discount code, else the customer's referrer on record.

The order is the session itself in payment mode (the success page may report it as
`{CHECKOUT_SESSION_ID}`), and the subscription's first invoice in subscription mode, so that
`invoice.paid` for that invoice, in whichever order the two arrive, is the same purchase."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ....model.program import Program
from ...context import Context
from ..events import IGNORED, Handled, ProviderEvent, mapping, text_of
from ..purchases import Purchase, record_purchase
from .money import currency_of, stripe_amount

PAID = ("paid",)


def session_paid(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    session = event.obj
    mode = session.get("mode")
    if mode not in ("payment", "subscription"):
        return Handled(IGNORED, f"a {mode} session takes no payment")
    if session.get("payment_status") not in PAID:
        return Handled(IGNORED, "not paid yet (an asynchronous payment says when it is)")
    currency = currency_of(session.get("currency"))
    amount = stripe_amount(session.get("amount_total"), currency)
    if amount is None:
        return Handled(IGNORED, "the session has no amount in a known currency")
    order_id = text_of(session.get("id"))
    payments: tuple[str, ...] = ()
    if mode == "subscription":
        order_id = text_of(session.get("invoice")) or order_id
    elif text_of(session.get("payment_intent")):
        payments = (f"stripe:{text_of(session.get('payment_intent'))}",)
    details = mapping(session.get("customer_details"))
    email = details.get("email") or session.get("customer_email") or ""
    customer = text_of(session.get("customer"))
    purchase = Purchase(
        provider="stripe",
        order_id=order_id,
        amount=amount,
        currency=currency,
        customer_id=f"stripe:{customer}" if customer else str(email).lower(),
        email=str(email),
        references=(
            session.get("client_reference_id"),
            mapping(session.get("metadata")).get("referbee"),
        ),
        discount_codes=discount_codes(session.get("discounts")),
        payments=payments,
    )
    return record_purchase(ctx, program, purchase)


def metadata_reference(obj: Mapping[str, Any]) -> object:
    """`metadata.referbee`: a referral a shop's server put on a session or subscription."""
    return mapping(obj.get("metadata")).get("referbee")


def discount_codes(raw: object) -> tuple[str, ...]:
    """What a session's (or invoice's) discounts name: each coupon's id (a shop can give
    each referrer a coupon named by their discount code) and, when Stripe sent it expanded,
    each promotion code's customer-facing code."""
    found: list[str] = []
    for discount in raw if isinstance(raw, list) else []:
        entry = mapping(discount)
        promotion = mapping(entry.get("promotion_code"))
        if isinstance(promotion.get("code"), str):
            found.append(promotion["code"])
        coupon = text_of(entry.get("coupon"))
        if coupon:
            found.append(coupon)
    return tuple(found)
