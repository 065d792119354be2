"""The analytics part of the store contract, run against DynamoStore (on moto) and its twin:
rollup writes and their conditions, rollup reads, counter ranges, listings a page at a
time, referred customers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.analytics import ActiveMove, RollupConflictError, RollupWrite
from chalicelib.model.errors import InvalidInputError
from chalicelib.model.ledger import (
    ConversionEffects,
    CustomerBump,
    EffectsRejectedError,
    RewardRecord,
)
from chalicelib.model.records import CLICKS, Conversion, Referrer
from chalicelib.store.memory import MemoryStore
from tests.common import NOW


@pytest.fixture(params=["memory", "dynamo"])
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
    else:
        yield request.getfixturevalue("dynamo_store")


def referrer(code: str, at: float = NOW) -> Referrer:
    return Referrer(code, "shop", f"ek-{code}", f"{code}@example.com", f"Name {code}", at)


def write(after: str | None, last: str, **kw: Any) -> RollupWrite:
    return RollupWrite(batch_id="b1", after=after, last=last, expires_at=NOW + 86400, **kw)


def test_a_rollup_write_adds_once_and_moves_its_marker(store: Any) -> None:
    assert store.rollups.rollup_marker("b1") is None
    days = {("shop", "2026-11-18"): {"clicks": Decimal(2), "revenue.EUR": Decimal("9.5")}}
    store.rollups.apply_rollup(
        write(None, "100", days=days, totals={"shop": {"participants": Decimal(1)}})
    )
    assert store.rollups.rollup_marker("b1") == "100"
    with pytest.raises(RollupConflictError):  # the same write again: the marker moved
        store.rollups.apply_rollup(write(None, "100", days=days))
    more = {("shop", "2026-11-18"): {"clicks": Decimal(1)}, ("shop", "2026-11-19"): {"x": 0}}
    store.rollups.apply_rollup(write("100", "105", days=more))
    with pytest.raises(RollupConflictError):
        store.rollups.apply_rollup(write("100", "110", days=more))  # a stale marker
    found = store.rollups.read_rollups("shop", "2026-11-01")
    assert found.days == {
        "2026-11-18": {"clicks": Decimal(3), "revenue.EUR": Decimal("9.5")}
    }  # a zero addition writes nothing
    assert found.total == {"participants": Decimal(1)}
    assert store.rollups.read_rollups("shop", "2026-11-19").days == {}
    assert store.rollups.read_rollups("acme", "2026-01-01").days == {}


def test_active_days_move_only_from_where_they_were(store: Any) -> None:
    assert store.rollups.active_days(["abc2345", "xyz2345"]) == {}
    store.rollups.apply_rollup(
        write(None, "1", days={}, active=(ActiveMove("abc2345", "2026-11-01", None),))
    )
    assert store.rollups.active_days(["abc2345", "xyz2345"]) == {"abc2345": "2026-11-01"}
    with pytest.raises(RollupConflictError):
        store.rollups.apply_rollup(
            write("1", "2", days={}, active=(ActiveMove("abc2345", "2026-11-05", None),))
        )
    assert store.rollups.rollup_marker("b1") == "1"  # nothing of the refused write
    store.rollups.apply_rollup(
        write("1", "2", days={}, active=(ActiveMove("abc2345", "2026-11-05", "2026-11-01"),))
    )
    assert store.rollups.active_days(["abc2345"]) == {"abc2345": "2026-11-05"}


def test_counter_months_are_read_for_a_range(store: Any) -> None:
    store.referrers.create_referrer(referrer("abc2345"))
    for days in (-40, 0, 40):
        store.clicks.count_click(
            "abc2345", NOW + days * 86400, unique=True, channel="x", page="sale"
        )
    months = store.referrers.read_counters("abc2345", "2026-11", "2026-12")
    assert sorted((m.kind, m.month) for m in months) == [(CLICKS, "2026-11"), (CLICKS, "2026-12")]
    november = next(m for m in months if m.month == "2026-11")
    assert november.pages() == {"sale": 1} and november.channels() == {"x": 1}
    assert store.referrers.read_counters("nope234", "2026-01", "2026-12") == []


def test_referrers_are_listed_a_page_at_a_time(store: Any) -> None:
    for i in range(5):
        store.referrers.create_referrer(referrer(f"abc234{i}", NOW + i))
    seen, after = [], None
    for _ in range(5):
        page = store.referrers.list_referrers("shop", 2, after)
        seen += [r.code for r in page.items]
        after = page.after
        if after is None:
            break
    assert seen == [f"abc234{i}" for i in range(5)]
    assert store.referrers.list_referrers("acme", 10, None).items == []
    assert store.referrers.get_referrers(["abc2341", "nope234", "abc2341"]) == {
        "abc2341": referrer("abc2341", NOW + 1)
    }
    with pytest.raises(InvalidInputError):
        store.referrers.list_referrers("shop", 2, '{"PK": "x"}')


def test_conversions_are_listed_by_time(store: Any) -> None:
    store.referrers.create_referrer(referrer("abc2345"))
    for i, at in enumerate((NOW - 86400 * 3, NOW - 60, NOW)):
        store.conversions.record_conversion(Conversion("shop", "signup", f"o{i}", "abc2345", at))
    page = store.conversions.list_conversions("shop", NOW - 86400, NOW + 1, 10, None)
    assert [c.order_id for c in page.items] == ["o1", "o2"]
    first = store.conversions.list_conversions("shop", NOW - 86400 * 4, NOW, 1, None)
    assert [c.order_id for c in first.items] == ["o0"] and first.after is not None
    rest = store.conversions.list_conversions("shop", NOW - 86400 * 4, NOW, 5, first.after)
    assert [c.order_id for c in rest.items] == ["o1", "o2"]


def test_rewards_are_listed_by_status(store: Any) -> None:
    reward = RewardRecord(
        "rw_abc2345_1", "shop", "abc2345", "referrer", "credit", "10", "approved", NOW, NOW, NOW
    )
    store.referrers.create_referrer(referrer("abc2345"))
    effects = ConversionEffects(rewards=(reward, replace(reward, reward_id="rw_abc2345_2")))
    store.conversions.record_conversion(
        Conversion("shop", "purchase", "o1", "abc2345", NOW), effects
    )
    page = store.rewards.page_rewards("shop", "approved", 1, None)
    assert [r.reward_id for r in page.items] == ["rw_abc2345_1"]
    following = store.rewards.page_rewards("shop", "approved", 1, page.after)
    assert [r.reward_id for r in following.items] == ["rw_abc2345_2"]
    assert store.rewards.page_rewards("shop", "paid", 10, None).items == []


def test_a_customer_is_created_once_and_counted_in_order(store: Any) -> None:
    store.referrers.create_referrer(referrer("abc2345"))
    assert store.conversions.get_customer("shop", "c1") is None

    def buy(order: str, before: int) -> None:
        bump = CustomerBump("c1", "abc2345", NOW, before)
        conversion = Conversion("shop", "purchase", order, "abc2345", NOW, Decimal(5), "EUR")
        store.conversions.record_conversion(conversion, ConversionEffects(customer=bump))

    buy("o1", 0)
    with pytest.raises(EffectsRejectedError) as refused:
        buy("o2", 0)  # assumed new, but they bought before: the store says how they stand
    assert refused.value.rejection.customer_moved
    assert refused.value.rejection.customer == ("abc2345", NOW, 1)
    assert store.conversions.get_conversion("shop", "purchase", "o2") is None
    buy("o2", 1)
    profile = store.conversions.get_customer("shop", "c1")
    assert (profile.code, profile.first_at, profile.purchases) == ("abc2345", NOW, 2)
