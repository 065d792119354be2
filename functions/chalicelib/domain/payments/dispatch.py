"""A verified webhook event, handled once: looked up by its provider's event id (a repeat
changes nothing and is acknowledged), dispatched by its type to one small handler, and its
receipt kept. A type referbee does not read is acknowledged and ignored, so a shop may
subscribe its endpoint to more events than these.

Every handler is also safe to run again on its own (conversions once per order, losses by
the provider's ids), so an event handled but not yet receipted, when its provider retries
it, ends the same."""

from __future__ import annotations

from collections.abc import Callable

from ...model.errors import ConflictError, InvalidInputError, NotFoundError
from ...model.payments import Receipt
from ...model.program import Program
from ..context import Context
from .events import DUPLICATE, IGNORED, Handled, ProviderEvent
from .shopify.orders import order_paid
from .shopify.refunds import refund_created
from .stripe.charges import charge_refunded, dispute_changed
from .stripe.checkout import session_paid
from .stripe.invoices import invoice_paid, invoice_payment_paid
from .stripe.subscriptions import subscription_deleted

Handler = Callable[[Context, Program, ProviderEvent], Handled]

HANDLERS: dict[tuple[str, str], Handler] = {
    ("stripe", "checkout.session.completed"): session_paid,
    ("stripe", "checkout.session.async_payment_succeeded"): session_paid,
    ("stripe", "invoice.paid"): invoice_paid,
    ("stripe", "invoice_payment.paid"): invoice_payment_paid,
    ("stripe", "charge.refunded"): charge_refunded,
    ("stripe", "charge.dispute.created"): dispute_changed,
    ("stripe", "charge.dispute.updated"): dispute_changed,
    ("stripe", "charge.dispute.closed"): dispute_changed,
    ("stripe", "customer.subscription.deleted"): subscription_deleted,
    ("shopify", "orders/paid"): order_paid,
    ("shopify", "refunds/create"): refund_created,
}


def handle_event(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    handler = HANDLERS.get((event.provider, event.type))
    if handler is None:
        return Handled(IGNORED, f"referbee does not read {event.type} events")
    payments = ctx.store.payments
    seen = payments.get_receipt(program.id, event.provider, event.id)
    if seen is not None:
        return Handled(DUPLICATE, seen.outcome)
    try:
        handled = handler(ctx, program, event)
    except (InvalidInputError, ConflictError, NotFoundError) as exc:
        # What the event says cannot be used (an amount out of range, a purchase held for
        # review...): acknowledged, so the provider does not send it again and again.
        handled = Handled(IGNORED, exc.message)
    receipt = Receipt(
        program.id, event.provider, event.id, event.type, ctx.clock.now(), handled.outcome
    )
    payments.keep_receipt(receipt)
    return handled
