"""`customer.subscription.deleted`: the subscription ended. Its later payments (a final
invoice arriving late) earn no recurring reward; nothing already earned is taken back."""

from __future__ import annotations

from ....model.payments import PaymentFacts
from ....model.program import Program
from ...context import Context
from ..events import IGNORED, UNCHANGED, Handled, ProviderEvent, text_of


def subscription_deleted(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    subscription = event.obj
    sub_id = text_of(subscription.get("id"))
    if not sub_id:
        return Handled(IGNORED, "the subscription has no id")
    raw = subscription.get("ended_at") or subscription.get("canceled_at")
    ended = float(raw) if isinstance(raw, int) and raw > 0 else ctx.clock.now()
    ctx.store.payments.meet(program.id, f"stripe:{sub_id}", PaymentFacts(ended_at=ended))
    return Handled(UNCHANGED, "its renewals earn no recurring reward from now on")
