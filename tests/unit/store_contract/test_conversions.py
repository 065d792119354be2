"""Conversions on both twins: recorded once per order and counted, with their effects in the same
write or not at all, refunds, referred customers, and the program listing."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.errors import UnknownCodeError
from chalicelib.model.ledger import (
    NEW_REWARD,
    PENDING,
    ConversionEffects,
    CountGuard,
    CouponClaim,
    Credit,
    CustomerBump,
    EffectsRejectedError,
    IdentityGuard,
    LimitBump,
    RewardChange,
)
from chalicelib.model.losses import Loss
from chalicelib.model.records import CONVERSIONS, Conversion
from tests.common import NOW
from tests.unit.store_contract.records import (
    jane,
    jane_purchase,
    message,
    purchase,
    purchases_of,
    referrer,
    reward,
)


def test_conversions_are_recorded_once_and_counted(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    purchase = Conversion("shop", "purchase", "o-1", "abc2345", NOW, Decimal("19.90"), "EUR")
    assert store.conversions.record_conversion(purchase) == (purchase, True)
    repeat = Conversion("shop", "purchase", "o-1", "abc2345", NOW + 5, Decimal("99"), "EUR")
    assert store.conversions.record_conversion(repeat) == (purchase, False)
    signup = Conversion("shop", "signup", "o-1", "abc2345", NOW)
    assert store.conversions.record_conversion(signup)[1] is True  # another event, another key
    with pytest.raises(UnknownCodeError):
        store.conversions.record_conversion(Conversion("acme", "signup", "u-1", "abc2345", NOW))
    with pytest.raises(UnknownCodeError):
        store.conversions.record_conversion(Conversion("shop", "signup", "u-2", "zzz2345", NOW))
    _, months = store.referrers.read_code("abc2345")
    conversions = [m for m in months if m.kind == CONVERSIONS]
    assert len(conversions) == 1
    day = conversions[0].days()["2026-11-18"]
    assert (day.signups, day.purchases, dict(day.revenue)) == (1, 1, {"EUR": Decimal("19.90")})


def test_successful_conversions_raise_the_referrers_count_once(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    signup = Conversion("shop", "signup", "u-1", "abc2345", NOW)
    purchase = Conversion(
        "shop", "purchase", "o-1", "abc2345", NOW, Decimal(5), "EUR", successful=True
    )
    store.conversions.record_conversion(signup)
    store.conversions.record_conversion(purchase)
    store.conversions.record_conversion(purchase)
    found = store.referrers.read_code("abc2345")
    assert found is not None and found[0].successful_referrals == 1
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    with pytest.raises(UnknownCodeError):
        store.conversions.record_conversion(
            Conversion("acme", "purchase", "o-2", "abc2345", NOW, successful=True)
        )
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1


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


@pytest.mark.parametrize(
    "guard", [IdentityGuard(identity="id-jane"), IdentityGuard(visitor="v-jane")]
)
def test_the_identity_guard_returns_the_referrer_it_matched(store: Any, guard: Any) -> None:
    store.referrers.create_referrer(jane())
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.record_conversion(
            jane_purchase(), ConversionEffects(identity_guard=guard)
        )
    assert caught.value.rejection.primary_identity == ("id-jane", "v-jane")
    other = IdentityGuard(identity="id-kim", visitor="v-kim")
    assert store.conversions.record_conversion(
        jane_purchase(), ConversionEffects(identity_guard=other)
    )[1]


def test_refund_reverses_counters_and_moves_rewards_once(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    conversion = purchase(rewards=(reward(),))
    store.conversions.record_conversion(conversion, ConversionEffects(rewards=(reward(),)))
    voided = replace(reward(), status="void", reason="refunded")
    whole = (Loss("api", "refund", Decimal(20)),)
    refunded = replace(
        conversion, status="refunded", refunded_at=NOW + 5, rewards=(voided,), losses=whole
    )
    assert store.conversions.refund_conversion(
        conversion, refunded, [RewardChange(voided, PENDING)], (message("ev_3"),)
    )
    assert store.conversions.refund_conversion(conversion, refunded, []) is False
    assert store.conversions.get_conversion("shop", "purchase", "o1") == refunded
    assert store.referrers.get_referrer("abc2345").successful_referrals == 0
    day = next(m for m in store.referrers.read_code("abc2345")[1] if m.kind == CONVERSIONS).days()[
        "2026-11-18"
    ]
    assert (day.purchases, day.revenue["EUR"]) == (0, Decimal(0))
    assert store.rewards.get_rewards([("abc2345", reward().reward_id)]) == [voided]


def test_a_partial_refund_keeps_the_conversion_counted_and_writes_adjustments(
    store: Any,
) -> None:
    store.referrers.create_referrer(referrer())
    paid = replace(reward(), status="paid")
    conversion = purchase(rewards=(paid,))
    store.conversions.record_conversion(conversion, ConversionEffects(rewards=(paid,)))
    part = (Loss("re_1", "refund", Decimal(5)),)
    kept = replace(paid, share_lost=Decimal("0.25"))
    adjustment = replace(
        reward("rw_abc2345_00000000000000a1"), status="approved", amount=Decimal("-2.50")
    )
    after = replace(conversion, losses=part, rewards=(kept,))
    changes = [RewardChange(kept, "paid"), RewardChange(adjustment, NEW_REWARD)]
    assert store.conversions.refund_conversion(conversion, after, changes)
    assert store.conversions.refund_conversion(conversion, after, changes) is False  # moved on
    with pytest.raises(EffectsRejectedError) as again:
        more = replace(after, losses=(*part, Loss("re_2", "refund", Decimal(1))))
        store.conversions.refund_conversion(after, more, [RewardChange(adjustment, NEW_REWARD)])
    assert again.value.rejection.rewards_taken == {adjustment.reward_id}
    assert store.conversions.get_conversion("shop", "purchase", "o1") == after
    assert purchases_of(store) == 1
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    stored = store.rewards.get_rewards(
        [("abc2345", paid.reward_id), ("abc2345", adjustment.reward_id)]
    )
    assert sorted(stored, key=lambda r: r.reward_id) == [kept, adjustment]


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
