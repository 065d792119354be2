"""The outbox on both twins: due messages, one lease at a time, attempts and the delivery log."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.model.ledger import QUEUED, ConversionEffects, DeliveryAttempt
from tests.common import NOW
from tests.unit.store_contract.records import message, purchase, referrer


def test_outbox_leases_attempts_and_log(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    later = message("ev_9", next_at=NOW + 60)
    store.conversions.record_conversion(purchase(), ConversionEffects(messages=(message(), later)))
    [due] = store.outbox.due_messages(NOW)
    assert store.outbox.lease_message(due, NOW, NOW + 120) is True
    assert store.outbox.lease_message(due, NOW + 1, NOW + 121) is False  # someone has it
    retry = replace(due, attempts=1, next_at=NOW + 30, last_error="HTTP 500")
    line = DeliveryAttempt(
        "shop",
        "ev_1",
        "reward.issued",
        "webhook:abc",
        1,
        NOW,
        "retry",
        500,
        "HTTP 500",
        NOW + 30,
        12,
    )
    assert store.outbox.finish_delivery(retry, line) is True
    assert store.outbox.finish_delivery(retry, line) is False  # already recorded
    assert store.outbox.due_messages(NOW + 29) == []
    assert [m.attempts for m in store.outbox.due_messages(NOW + 60)] == [1, 0]
    done = replace(retry, attempts=2, status="delivered")
    assert store.outbox.lease_message(retry, NOW + 30, NOW + 150)
    store.outbox.finish_delivery(
        done, replace(line, attempt=2, at=NOW + 30, outcome="delivered", http_status=200, error="")
    )
    assert [m.event_id for m in store.outbox.due_messages(NOW + 3600)] == ["ev_9"]
    assert [(a.attempt, a.outcome) for a in store.outbox.delivery_log("shop")] == [
        (2, "delivered"),
        (1, "retry"),
    ]
    assert store.outbox.delivery_log("other") == []
    assert later.status == QUEUED
