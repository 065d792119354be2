"""`invoice.paid`: a subscription's invoice, paid. The first one is the purchase its Checkout
Session reported (the same order, whichever event arrives first); each later one (a renewal,
an upgrade's proration) is a repeat purchase of the same customer: credited to whoever
referred them, never a new referral, earning what the program's recurring rule says, and
nothing once the subscription has ended. One-off invoices are not read: their payments are
Checkout sessions.

`invoice_payment.paid`: which payment paid an invoice (since Stripe's 2025-03-31 API, invoices
and charges no longer name each other), so a refund of that payment finds the invoice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ....model.program import Program
from ...context import Context
from ..events import IGNORED, Handled, ProviderEvent, mapping, text_of
from ..purchases import Purchase, record_purchase
from ..settlement import link_payment
from .checkout import discount_codes
from .money import currency_of, stripe_amount

FIRST_INVOICE = "subscription_create"


def invoice_paid(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    invoice = event.obj
    subscription = subscription_of(invoice)
    if not subscription:
        return Handled(IGNORED, "not a subscription's invoice")
    currency = currency_of(invoice.get("currency"))
    amount = stripe_amount(invoice.get("amount_paid"), currency)
    if not amount:
        return Handled(IGNORED, "nothing was paid (a trial, or a credit balance)")
    customer = text_of(invoice.get("customer"))
    email = invoice.get("customer_email")
    legacy_payment = text_of(invoice.get("payment_intent"))  # before the 2025-03-31 API
    renewal = invoice.get("billing_reason") != FIRST_INVOICE
    purchase = Purchase(
        provider="stripe",
        order_id=text_of(invoice.get("id")),
        amount=amount,
        currency=currency,
        customer_id=f"stripe:{customer}" if customer else "",
        email=email if isinstance(email, str) else "",
        references=(_subscription_metadata(invoice).get("referbee"),),
        discount_codes=discount_codes(invoice.get("discounts")),
        payments=(f"stripe:{legacy_payment}",) if legacy_payment else (),
        renewal_stopped=renewal and _ended(ctx, program, subscription, _paid_at(invoice)),
    )
    return record_purchase(ctx, program, purchase)


def invoice_payment_paid(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    record = event.obj
    payment = mapping(record.get("payment"))
    intent = text_of(payment.get("payment_intent")) or text_of(payment.get("charge"))
    invoice = text_of(record.get("invoice"))
    if not intent or not invoice:
        return Handled(IGNORED, "the invoice payment names no invoice or payment")
    return link_payment(ctx, program, "stripe", f"stripe:{intent}", invoice)


def subscription_of(invoice: Mapping[str, Any]) -> str:
    """The subscription an invoice bills (`parent` since the 2025-03-31 API)."""
    details = mapping(mapping(invoice.get("parent")).get("subscription_details"))
    return text_of(details.get("subscription")) or text_of(invoice.get("subscription"))


def _subscription_metadata(invoice: Mapping[str, Any]) -> Mapping[str, Any]:
    details = mapping(mapping(invoice.get("parent")).get("subscription_details"))
    legacy = mapping(invoice.get("subscription_details"))
    return mapping(details.get("metadata")) or mapping(legacy.get("metadata"))


def _ended(ctx: Context, program: Program, subscription: str, paid_at: float) -> bool:
    """Whether the subscription had ended when the invoice was paid (read only when a
    recurring rule could pay)."""
    if program.incentives.recurring is None:
        return False
    ended = ctx.store.payments.facts(program.id, f"stripe:{subscription}").ended_at
    return bool(ended) and paid_at >= ended


def _paid_at(invoice: Mapping[str, Any]) -> float:
    paid = mapping(invoice.get("status_transitions")).get("paid_at") or invoice.get("created")
    return float(paid) if isinstance(paid, int) else 0.0
