"""Where a payment's refunds and disputes meet its purchase, whichever arrives first.

Each provider object has its facts (model/payments.py, one item each): a payment (`stripe:pi_`)
knows the order it paid once a purchase or a link says so, and keeps every refund and dispute
reported for it; an order (`stripe:order:in_`) knows when its purchase is recorded and keeps
the losses forwarded to it. Every event adds what it knows with one write that returns all
that is known, so of two events meeting on an item the second one sees the first; whichever
finds a recorded purchase and losses settles them through the refund path
(domain/conversions/refunds.py), which gives the same result however often it runs."""

from __future__ import annotations

from ...model.errors import ConflictError
from ...model.losses import Loss
from ...model.payments import PaymentFacts
from ...model.program import Program
from ..context import Context
from ..conversions.refunds import record_losses
from .events import NOTED, SETTLED, UNCHANGED, Handled


def order_key(provider: str, order_id: str) -> str:
    return f"{provider}:order:{order_id}"


def purchase_recorded(
    ctx: Context, program: Program, provider: str, order_id: str, payments: tuple[str, ...]
) -> None:
    """A purchase is recorded: say so where its losses meet, link the payments that paid
    it, and settle what was reported before it arrived."""
    facts = ctx.store.payments.meet(program.id, order_key(provider, order_id), _recorded())
    for payment in payments:
        facts = _forward(ctx, program, provider, payment, order_id) or facts
    if facts.losses:
        settle(ctx, program, order_id, facts.losses)


def link_payment(
    ctx: Context, program: Program, provider: str, payment: str, order_id: str
) -> Handled:
    """A payment is known to have paid an order (Stripe's invoice payments)."""
    facts = _forward(ctx, program, provider, payment, order_id)
    if facts is None or not facts.recorded:
        return Handled(NOTED, "linked", order_id)
    return settle(ctx, program, order_id, facts.losses)


def report_losses(
    ctx: Context,
    program: Program,
    provider: str,
    losses: tuple[Loss, ...],
    *,
    payment: str = "",
    order_id: str = "",
) -> Handled:
    """Refunds or disputes of a payment (or, for Shopify, of an order)."""
    if payment:
        order_id = (
            order_id
            or ctx.store.payments.meet(program.id, payment, PaymentFacts(losses=losses)).order
        )
    if not order_id:
        return Handled(NOTED, "the payment's purchase is not recorded yet")
    facts = ctx.store.payments.meet(
        program.id, order_key(provider, order_id), PaymentFacts(losses=losses)
    )
    if not facts.recorded:
        return Handled(NOTED, "the purchase is not recorded yet", order_id)
    return settle(ctx, program, order_id, facts.losses)


def settle(ctx: Context, program: Program, order_id: str, losses: tuple[Loss, ...]) -> Handled:
    conversion = ctx.store.conversions.get_conversion(program.id, "purchase", order_id)
    if conversion is None:
        return Handled(UNCHANGED, "no purchase was recorded for this order", order_id)
    try:
        _, changed = record_losses(ctx, program, conversion, losses)
    except ConflictError as exc:  # held for review: the review queue decides
        return Handled(UNCHANGED, exc.message, order_id)
    return Handled(SETTLED if changed else UNCHANGED, "", order_id)


def _forward(
    ctx: Context, program: Program, provider: str, payment: str, order_id: str
) -> PaymentFacts | None:
    """Tell a payment its order; the losses it holds go on to the order. The order's facts
    when there were any to forward."""
    paid = ctx.store.payments.meet(program.id, payment, PaymentFacts(order=order_id))
    if not paid.losses:
        return None
    key = order_key(provider, order_id)
    return ctx.store.payments.meet(program.id, key, PaymentFacts(losses=paid.losses))


def _recorded() -> PaymentFacts:
    return PaymentFacts(recorded=True)
