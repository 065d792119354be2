"""Money of an order that went back to the customer: refunds and disputes, as the payment
provider reports them (or a refund call of the API), kept on the conversion they concern."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

REFUND = "refund"
DISPUTE = "dispute"
# A dispute's outcomes that give the money back to the shop (it no longer counts as lost).
DISPUTE_RELEASED = ("won", "warning_closed", "prevented")
DISPUTE_LOST = "lost"


@dataclass(frozen=True)
class Loss:
    """Money of an order that went back to the customer, by the payment provider's id of it:
    a refund, or a dispute (lost while open or lost; released when the shop won it)."""

    id: str  # the provider's id: re_..., dp_..., a Shopify refund id; "api" for a refund call
    kind: str  # refund | dispute
    amount: Decimal
    status: str = ""  # a dispute's status as the provider names it

    @property
    def counts(self) -> bool:
        """The money is gone for now: a refund, or a dispute not (yet) won by the shop."""
        return self.kind == REFUND or self.status not in DISPUTE_RELEASED

    @property
    def final(self) -> bool:
        """The money is gone for good: a refund, or a lost dispute."""
        return self.kind == REFUND or self.status == DISPUTE_LOST


def losses_to_text(losses: tuple[Loss, ...]) -> str:
    rows = [[loss.id, loss.kind, str(loss.amount), loss.status] for loss in losses]
    return json.dumps(rows, separators=(",", ":"))


def losses_from_text(text: str) -> tuple[Loss, ...]:
    return tuple(
        Loss(lid, kind, Decimal(amount), status)
        for lid, kind, amount, status in json.loads(text or "[]")
    )
