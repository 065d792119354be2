"""The webhooks' records on both twins: an event's receipt is kept once, and the facts of a
payment provider object merge whatever events left there, in any order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chalicelib.model.losses import Loss
from chalicelib.model.payments import PaymentFacts, Receipt
from tests.common import NOW


def test_an_events_receipt_is_kept_once(store: Any) -> None:
    receipt = Receipt("shop", "stripe", "evt_1", "invoice.paid", NOW, "recorded")
    assert store.payments.get_receipt("shop", "stripe", "evt_1") is None
    assert store.payments.keep_receipt(receipt) is True
    assert store.payments.keep_receipt(receipt) is False
    assert store.payments.get_receipt("shop", "stripe", "evt_1") == receipt
    assert store.payments.get_receipt("shop", "shopify", "evt_1") is None


def test_facts_met_in_any_order_are_all_kept(store: Any) -> None:
    refund = Loss("re_1", "refund", Decimal("12.50"))
    dispute = Loss("dp_1", "dispute", Decimal(40), "needs_response")
    assert store.payments.facts("shop", "stripe:pi_1") == PaymentFacts()
    first = store.payments.meet("shop", "stripe:pi_1", PaymentFacts(losses=(refund,)))
    assert first == PaymentFacts(losses=(refund,))
    second = store.payments.meet(
        "shop", "stripe:pi_1", PaymentFacts(order="cs_1", losses=(refund, dispute))
    )
    assert second == PaymentFacts(order="cs_1", losses=(dispute, refund))
    won = Loss("dp_1", "dispute", Decimal(40), "won")
    third = store.payments.meet(
        "shop", "stripe:pi_1", PaymentFacts(recorded=True, losses=(won,), ended_at=NOW)
    )
    assert third == PaymentFacts(
        order="cs_1", recorded=True, losses=(dispute, won, refund), ended_at=NOW
    )
    assert store.payments.facts("shop", "stripe:pi_1") == third
    assert store.payments.facts("acme", "stripe:pi_1") == PaymentFacts()
