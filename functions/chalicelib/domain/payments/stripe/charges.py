"""Money going back: `charge.refunded` (Stripe sends a charge's refunds as a running total,
`amount_refunded`) and `charge.dispute.created|updated|closed` (a dispute holds its amount
while open; `won` gives it back, `lost` takes it for good). Both are losses of the payment
the charge belongs to, settled on its purchase through the refund path, whenever that
purchase is (or was) recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ....model.losses import DISPUTE, REFUND, Loss
from ....model.program import Program
from ...context import Context
from ..events import IGNORED, Handled, ProviderEvent, text_of
from ..settlement import report_losses
from .money import currency_of, stripe_amount


def charge_refunded(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    charge = event.obj
    refunded = stripe_amount(charge.get("amount_refunded"), currency_of(charge.get("currency")))
    charge_id = text_of(charge.get("id"))
    if refunded is None or not charge_id:
        return Handled(IGNORED, "the charge has no refunded amount")
    loss = Loss(charge_id, REFUND, refunded)
    return report_losses(ctx, program, "stripe", (loss,), payment=payment_of(charge))


def dispute_changed(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    dispute = event.obj
    amount = stripe_amount(dispute.get("amount"), currency_of(dispute.get("currency")))
    dispute_id, status = text_of(dispute.get("id")), dispute.get("status")
    if amount is None or not dispute_id or not isinstance(status, str):
        return Handled(IGNORED, "the dispute has no amount or status")
    loss = Loss(dispute_id, DISPUTE, amount, status)
    return report_losses(ctx, program, "stripe", (loss,), payment=payment_of(dispute))


def payment_of(obj: Mapping[str, Any]) -> str:
    """The facts key of the payment a charge or dispute belongs to: its payment intent (a
    charge made without one is its own payment)."""
    intent = text_of(obj.get("payment_intent"))
    return f"stripe:{intent or text_of(obj.get('charge')) or text_of(obj.get('id'))}"
