"""`refunds/create`: a refund of a Shopify order; its amount is what its successful refund
transactions gave back. Each refund is one loss of the order, by its id."""

from __future__ import annotations

from decimal import Decimal

from ....model.losses import REFUND, Loss
from ....model.program import Program
from ...context import Context
from ..events import IGNORED, Handled, ProviderEvent, mapping
from ..settlement import report_losses
from .orders import money


def refund_created(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    refund = event.obj
    order_id, refund_id = refund.get("order_id"), refund.get("id")
    if not isinstance(order_id, int) or not isinstance(refund_id, int):
        return Handled(IGNORED, "the refund names no order")
    given = Decimal(0)
    for transaction in refund.get("transactions") or []:
        entry = mapping(transaction)
        if entry.get("kind") == "refund" and entry.get("status") == "success":
            given += money(entry.get("amount")) or Decimal(0)
    if not given:
        return Handled(IGNORED, "nothing was given back (a restock only)")
    loss = Loss(str(refund_id), REFUND, given)
    return report_losses(ctx, program, "shopify", (loss,), order_id=str(order_id))
