"""How a conversion is shown: to the API and webhooks (`conversion_view`), to a browser
(`public_conversion_view`), and named in the review queue (`review_id`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...model.clock import iso
from ...model.losses import DISPUTE, REFUND
from ...model.records import Conversion, credits_of
from ..rewards.views import reward_view

ZERO = Decimal(0)


def conversion_view(conversion: Conversion) -> dict[str, Any]:
    view: dict[str, Any] = {
        "program": conversion.program,
        "event": conversion.event,
        "order_id": conversion.order_id,
        "ref": conversion.code or None,
        "click_id": conversion.click_id or None,
        "amount": float(conversion.amount),
        "currency": conversion.currency or None,
        "created_at": iso(conversion.created_at),
        "status": conversion.status,
        "credits": [
            {"ref": credit.code, "share": float(credit.share)} for credit in credits_of(conversion)
        ],
        "rewards": [reward_view(reward) for reward in conversion.rewards],
    }
    if conversion.unverified:
        view["unverified"] = True
    if conversion.confirmed_by:
        view["confirmed_by"] = conversion.confirmed_by
        view["confirmed_at"] = iso(conversion.confirmed_at)
    if conversion.notes:
        view["notes"] = list(conversion.notes)
    if conversion.refunded_at:
        view["refunded_at"] = iso(conversion.refunded_at)
    if conversion.discount_code:
        view["discount_code"] = conversion.discount_code
    for name, kind in (("refunded_amount", REFUND), ("disputed_amount", DISPUTE)):
        total = sum((x.amount for x in conversion.losses if x.kind == kind and x.counts), ZERO)
        if total:
            view[name] = float(total)
    if conversion.flags:
        view["flags"] = list(conversion.flags)
    if conversion.decided_by:
        view["decided_by"] = conversion.decided_by
        view["decided_at"] = iso(conversion.decided_at)
        if conversion.decision_note:
            view["decision_note"] = conversion.decision_note
    return view


def public_conversion_view(conversion: Conversion) -> dict[str, Any]:
    """What a browser (the beacon) is told: no fraud reasons, which would teach a fraudster
    which rule caught them."""
    view = conversion_view(conversion)
    view.pop("flags", None)
    return view


def review_id(conversion: Conversion) -> str:
    """How the review queue names a conversion: `{event}:{order id}`."""
    return f"{conversion.event}:{conversion.order_id}"
