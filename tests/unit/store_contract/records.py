"""The records the store contract suite builds its cases from."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from chalicelib.model.ledger import PENDING, OutboxMessage, RewardRecord
from chalicelib.model.records import Conversion, Referrer
from tests.common import NOW

DAY = 86400


def referrer(code: str = "abc2345", program: str = "shop") -> Referrer:
    return Referrer(code, program, f"ek-{code}", "jane@example.com", "Jane", NOW)


def reward(
    rid: str = "rw_abc2345_0000000000000001", status: str = PENDING, **kw: Any
) -> RewardRecord:
    values: dict[str, Any] = dict(
        reward_id=rid,
        program="shop",
        code="abc2345",
        side="referrer",
        kind="credit",
        text="EUR 10",
        status=status,
        created_at=NOW,
        approve_at=NOW + DAY,
        updated_at=NOW,
        amount=Decimal(10),
        currency="EUR",
        order_id="o1",
        event="purchase",
    )
    values.update(kw)
    return RewardRecord(**values)


def purchase(order: str = "o1", **kw: Any) -> Conversion:
    return Conversion(
        "shop", "purchase", order, "abc2345", NOW, Decimal(20), "EUR", successful=True, **kw
    )


def message(
    event_id: str = "ev_1", target: str = "webhook:abc", next_at: float = NOW
) -> OutboxMessage:
    return OutboxMessage(event_id, target, "shop", "reward.issued", '{"id":"ev_1"}', NOW, next_at)


def jane(**changes: Any) -> Referrer:
    base = Referrer("abc2345", "shop", "ek1", "jane@example.com", "Jane", NOW)
    return replace(base, identity="id-jane", visitor="v-jane", **changes)


def jane_purchase(order: str = "1", **changes: Any) -> Conversion:
    return replace(
        Conversion("shop", "purchase", order, "abc2345", NOW, Decimal(40), "EUR"), **changes
    )


def approved_reward(order: str) -> RewardRecord:
    return RewardRecord(
        f"rw_abc2345_{order:0>16}",
        "shop",
        "abc2345",
        "referrer",
        "credit",
        "$10",
        "approved",
        NOW,
        NOW,
        NOW,
        order_id=order,
        event="purchase",
        amount=Decimal(10),
        currency="EUR",
    )


def purchases_of(store: Any) -> int:
    _, months = store.referrers.read_code("abc2345")
    return sum(day.purchases for month in months for day in month.days().values())


def held_of(store: Any, code: str = "abc2345") -> tuple[int, int]:
    """(signups, purchases) of a code held for review now."""
    _, months = store.referrers.read_code(code)
    days = [day for month in months for day in month.days().values()]
    return sum(d.held_signups for d in days), sum(d.held_purchases for d in days)
