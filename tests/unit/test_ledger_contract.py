"""The incentive part of the store contract, run against DynamoStore (moto) and MemoryStore."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.ledger import (
    APPROVED,
    PENDING,
    QUEUED,
    ConversionEffects,
    CountGuard,
    CouponClaim,
    Credit,
    DeliveryAttempt,
    EffectsRejectedError,
    LimitBump,
    OutboxMessage,
    RewardChange,
    RewardRecord,
    Touch,
)
from chalicelib.model.records import CONVERSIONS, Conversion, Referrer
from chalicelib.store.memory import MemoryStore
from tests.common import NOW

DAY = 86400


@pytest.fixture(params=["memory", "dynamo"])
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
    else:
        yield request.getfixturevalue("dynamo_store")


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


def test_clicks_keep_touchpoints_and_uniqueness_survives_compaction(store: Any) -> None:
    window = DAY
    seen = [
        store.clicks.claim_visit("v1", "abc2345", NOW + i * 3600, window, keep=30 * DAY)
        for i in range(40)
    ]
    # Unique at 0 h, 24 h, 48 h: the same answers as a fixed 24-hour window from the last
    # counted click, across the compactions of the touchpoint list.
    assert [i for i, unique in enumerate(seen) if unique] == [0, 24]
    assert store.clicks.claim_visit("v1", "abc2345", NOW + 48 * 3600, window, keep=30 * DAY) is True
    store.clicks.claim_visit("v1", "xyz2345", NOW, window)
    kept = store.clicks.touchpoints("v1")
    assert Touch("xyz2345", NOW) in kept
    times = sorted(t.at for t in kept if t.code == "abc2345")
    assert 8 <= len(times) <= 16 and times[-1] == NOW + 48 * 3600
    assert store.clicks.touchpoints("nobody") == []


def test_conversion_effects_are_written_with_the_conversion(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    store.referrers.create_referrer(referrer("def2345"))
    store.coupons.add_coupons("shop", "welcome", ["C1", "C2"])
    shares = (
        Credit("abc2345", Decimal("0.75"), Decimal(15)),
        Credit("def2345", Decimal("0.25"), Decimal(5)),
    )
    conversion = purchase(credits=shares, rewards=(reward(),), notes=("friend:limit_reached",))
    friend = reward(
        "rw_abc2345_0000000000000002", side="friend", kind="coupon", coupon="C1", pool="welcome"
    )
    effects = ConversionEffects(
        rewards=(reward(), friend),
        coupons=(CouponClaim("shop", "welcome", "C1", friend.reward_id),),
        limit=LimitBump("abc2345", "2026-11", 5, 2),
        first_purchase="c-cust",
        count_guard=CountGuard(avoid=(2,)),
        messages=(message(),),
    )
    assert store.conversions.record_conversion(conversion, effects) == (conversion, True)
    assert store.conversions.record_conversion(replace(conversion, amount=Decimal(1)), effects) == (
        conversion,
        False,
    )
    found = store.referrers.read_referrer_page("abc2345")
    assert found is not None and found[0].successful_referrals == 1
    assert sorted(r.reward_id for r in found[2]) == sorted([reward().reward_id, friend.reward_id])
    assert store.referrers.read_referrer_page("def2345")[0].successful_referrals == 0
    months = {code: store.referrers.read_code(code)[1] for code in ("abc2345", "def2345")}
    day = lambda code: next(m for m in months[code] if m.kind == CONVERSIONS).days()["2026-11-18"]  # noqa: E731
    assert (day("abc2345").purchases, day("abc2345").revenue["EUR"]) == (1, Decimal(15))
    assert (day("def2345").purchases, day("def2345").revenue["EUR"]) == (1, Decimal(5))
    assert store.coupons.free_coupons("shop", "welcome") == ["C2"]
    assert store.conversions.get_conversion("shop", "purchase", "o1") == conversion
    assert [m.event_id for m in store.outbox.due_messages(NOW)] == ["ev_1"]


def test_failed_conditions_are_reported_and_nothing_is_written(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    store.coupons.add_coupons("shop", "welcome", ["C1"])
    store.conversions.record_conversion(
        purchase("o0"),
        ConversionEffects(
            rewards=(reward(),),
            first_purchase="c-cust",
            limit=LimitBump("abc2345", "2026-11", 1, None),
        ),
    )
    effects = ConversionEffects(
        rewards=(reward(), reward("rw_abc2345_0000000000000009")),
        coupons=(CouponClaim("shop", "welcome", "GONE", "rw_abc2345_0000000000000009"),),
        limit=LimitBump("abc2345", "2026-11", 1, None),
        first_purchase="c-cust",
        count_guard=CountGuard(expected=5),
        messages=(message(),),
    )
    shared = purchase(
        "o1", credits=(Credit("abc2345", Decimal("0.5")), Credit("zzz2345", Decimal("0.5")))
    )
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.record_conversion(shared, effects)
    rejection = caught.value.rejection
    assert rejection.rewards_taken == {reward().reward_id}
    assert rejection.coupons_taken == {"GONE"}
    assert rejection.foreign_codes == {"zzz2345"}
    assert rejection.limit_reached and rejection.not_first_purchase
    assert rejection.count == 1
    assert store.conversions.get_conversion("shop", "purchase", "o1") is None
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    assert store.outbox.due_messages(NOW) == []
    with pytest.raises(EffectsRejectedError) as crossing:
        store.conversions.record_conversion(
            purchase("o2"), ConversionEffects(count_guard=CountGuard(avoid=(1, 4)))
        )
    assert crossing.value.rejection.count == 1
    assert store.conversions.record_conversion(
        purchase("o2"), ConversionEffects(count_guard=CountGuard(expected=1))
    )[1]
    assert store.referrers.get_referrer("abc2345").successful_referrals == 2


def test_rewards_move_only_from_the_status_they_are_in(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    store.conversions.record_conversion(purchase(), ConversionEffects(rewards=(reward(),)))
    assert [
        r.reward_id for r in store.rewards.list_rewards("shop", PENDING, due_by=NOW + DAY - 1)
    ] == []
    assert [r.reward_id for r in store.rewards.list_rewards("shop", PENDING, due_by=NOW + DAY)] == [
        reward().reward_id
    ]
    approved = replace(reward(), status=APPROVED, updated_at=NOW + DAY)
    store.rewards.change_rewards([RewardChange(approved, PENDING)], (message("ev_2"),))
    with pytest.raises(EffectsRejectedError) as caught:
        store.rewards.change_rewards([RewardChange(approved, PENDING)])
    assert caught.value.rejection.rewards_taken == {reward().reward_id}
    assert store.rewards.get_rewards([("abc2345", reward().reward_id), ("abc2345", "rw_nope")]) == [
        approved
    ]
    assert store.rewards.list_rewards("shop", PENDING) == []
    assert store.rewards.list_rewards("shop", APPROVED) == [approved]


def test_refund_reverses_counters_and_moves_rewards_once(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    conversion = purchase(rewards=(reward(),))
    store.conversions.record_conversion(conversion, ConversionEffects(rewards=(reward(),)))
    voided = replace(reward(), status="void", reason="refunded")
    refunded = replace(conversion, status="refunded", refunded_at=NOW + 5, rewards=(voided,))
    assert store.conversions.refund_conversion(
        refunded, [RewardChange(voided, PENDING)], (message("ev_3"),)
    )
    assert store.conversions.refund_conversion(refunded, []) is False
    assert store.conversions.get_conversion("shop", "purchase", "o1") == refunded
    assert store.referrers.get_referrer("abc2345").successful_referrals == 0
    day = next(m for m in store.referrers.read_code("abc2345")[1] if m.kind == CONVERSIONS).days()[
        "2026-11-18"
    ]
    assert (day.purchases, day.revenue["EUR"]) == (0, Decimal(0))
    assert store.rewards.get_rewards([("abc2345", reward().reward_id)]) == [voided]


def test_coupons_are_never_added_twice_even_after_use(store: Any) -> None:
    assert store.coupons.add_coupons("shop", "p", ["A", "B", "A"]) == 2
    assert store.coupons.add_coupons("shop", "p", ["B", "C"]) == 1
    store.referrers.create_referrer(referrer())
    claim = CouponClaim("shop", "p", "A", reward().reward_id)
    store.conversions.record_conversion(
        purchase(), ConversionEffects(rewards=(reward(coupon="A"),), coupons=(claim,))
    )
    assert store.coupons.add_coupons("shop", "p", ["A"]) == 0
    assert store.coupons.free_coupons("shop", "p") == ["B", "C"]
    counts = store.coupons.pool_counts("shop", "p")
    assert (counts.available, counts.used) == (2, 1)
    many = [f"X{i:03d}" for i in range(120)]
    assert store.coupons.add_coupons("shop", "big", many) == 120
    assert store.coupons.pool_counts("shop", "big").available == 120


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


def test_email_opt_out(store: Any) -> None:
    assert store.referrers.set_email_opt_out("abc2345", True) is False
    store.referrers.create_referrer(referrer())
    assert store.referrers.set_email_opt_out("abc2345", True) is True
    assert store.referrers.get_referrer("abc2345").email_opt_out is True


def test_visits_written_before_touchpoints_keep_their_unique_window(dynamo_store: Any) -> None:
    dynamo_store.clients[0].put_item(
        TableName="referbee-test",
        Item={
            "PK": {"S": "VISIT#v1"},
            "SK": {"S": "CODE#abc2345"},
            "seen_at": {"N": str(int(NOW))},
            "expires_at": {"N": str(int(NOW) + DAY)},
        },
    )
    assert dynamo_store.clicks.claim_visit("v1", "abc2345", NOW + 3600, DAY) is False
    assert dynamo_store.clicks.claim_visit("v1", "abc2345", NOW + DAY, DAY) is True
    assert [t.at for t in dynamo_store.clicks.touchpoints("v1")] == [NOW + 3600, NOW + DAY]
