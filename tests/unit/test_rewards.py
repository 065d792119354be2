"""The reward engine on the in-memory store: rules, hold, limits, coupons, tiers, refunds and
attribution of conversions without a ref."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chalicelib.domain.conversions.refunds import refund_conversion
from chalicelib.domain.referrals.clicks import KnownCodes, record_click
from chalicelib.domain.rewards.approvals import approve_due_rewards, mark_paid
from chalicelib.model.clock import FixedClock
from chalicelib.model.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    UnknownCodeError,
)
from chalicelib.model.statuses import APPROVED, CLAWBACK, PAID, PENDING, VOID
from chalicelib.store.memory import MemoryStore
from tests.common import BROWSER, NOW
from tests.incentives import (
    BEANS,
    TEAS,
    add_referrer,
    context_for,
    convert,
    incentive_document,
    purchase,
    sides,
)

DAY = 86400


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(clock: FixedClock):  # type: ignore[no-untyped-def]
    context = context_for(MemoryStore(), incentive_document(), clock)
    add_referrer(context)
    context.store.coupons.add_coupons("beans", "welcome", ["WELCOME-1", "WELCOME-2"])
    return context


def test_a_purchase_issues_both_sides_once_held_for_the_hold_period(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    first, created = convert(ctx, order_id="o1", ref="abc2345")
    assert created and sides(first) == {"referrer": PENDING, "friend": PENDING}
    referrer = next(r for r in first.rewards if r.side == "referrer")
    friend = next(r for r in first.rewards if r.side == "friend")
    assert (referrer.amount, referrer.currency) == (Decimal(10), "USD")
    assert friend.coupon in ("WELCOME-1", "WELCOME-2") and not friend.reason
    assert referrer.approve_at == NOW + 14 * DAY
    again, created_again = convert(ctx, order_id="o1", ref="abc2345")
    assert not created_again and again.rewards == first.rewards
    assert ctx.store.coupons.pool_counts("beans", "welcome").available == 1

    clock.advance(14 * DAY - 1)
    assert approve_due_rewards(ctx) == 0
    clock.advance(1)
    assert approve_due_rewards(ctx) == 2
    assert approve_due_rewards(ctx) == 0
    statuses = {
        r.side: r.status
        for r in ctx.store.rewards.get_rewards([(r.code, r.reward_id) for r in first.rewards])
    }
    assert statuses == {"referrer": APPROVED, "friend": APPROVED}


def test_signups_trigger_only_rules_for_signups(clock: FixedClock) -> None:
    friend = {"text": "100 points", "kind": "points", "points": 100, "event": "signup"}
    ctx = context_for(MemoryStore(), incentive_document(hold_days=0, friend=friend), clock)
    add_referrer(ctx)
    signup, _ = convert(ctx, event="signup", order_id="u1", ref="abc2345")
    assert sides(signup) == {"friend": APPROVED}
    bought = purchase(ctx, "o1")
    assert sides(bought) == {"referrer": APPROVED}


def test_min_amount_and_first_purchase_only(clock: FixedClock) -> None:
    referrer = {
        "text": "$10",
        "kind": "credit",
        "amount": 10,
        "min_amount": 30,
        "first_purchase_only": True,
    }
    ctx = context_for(MemoryStore(), incentive_document(hold_days=0, referrer=referrer), clock)
    add_referrer(ctx)
    small = purchase(ctx, "o1", amount=29.99, customer_id="cust-1")
    assert "referrer" not in sides(small) and small.notes == ("referrer:below_min_amount",)
    euros = purchase(ctx, "o2", amount=50, currency="EUR", customer_id="cust-9")
    assert "referrer:below_min_amount" in euros.notes
    first = purchase(ctx, "o3", amount=30, customer_id="cust-2")
    assert sides(first)["referrer"] == APPROVED
    second = purchase(ctx, "o4", amount=80, customer_id="cust-2")
    assert "referrer" not in sides(second) and second.notes == ("referrer:not_first_purchase",)
    # cust-1's first purchase was o1, too small: a bigger second one does not qualify either.
    later = purchase(ctx, "o5", amount=80, customer_id="cust-1")
    assert later.notes == ("referrer:not_first_purchase",)
    by_visitor, _ = convert(ctx, order_id="o6", ref="abc2345", amount=80, visitor="v1")
    again, _ = convert(ctx, order_id="o7", ref="abc2345", amount=80, visitor="v1")
    assert "referrer" in sides(by_visitor) and "referrer" not in sides(again)


def test_limits_per_month_and_in_total(clock: FixedClock) -> None:
    document = incentive_document(TEAS)
    document["programs"][0]["rewards"]["limits"] = {"per_referrer": 3, "per_month": 2}
    ctx = context_for(MemoryStore(), document, clock)
    add_referrer(ctx, program="teas")

    def buy(order: str) -> dict[str, str]:
        conversion, _ = convert(ctx, "teas", order_id=order, ref="abc2345")
        return sides(conversion)

    assert "referrer" in buy("o1") and "referrer" in buy("o2")
    third = buy("o3")
    assert "referrer" not in third and "friend" in third  # the friend still gets theirs
    clock.advance(31 * DAY)
    assert "referrer" in buy("o4")
    assert "referrer" not in buy("o5")  # 3 in total


def test_percent_rewards_are_computed_from_the_order(clock: FixedClock) -> None:
    ctx = context_for(MemoryStore(), incentive_document(TEAS), clock)
    add_referrer(ctx, program="teas")
    conversion, _ = convert(ctx, "teas", order_id="o1", ref="abc2345", amount="33.35")
    friend = next(r for r in conversion.rewards if r.side == "friend")
    assert (friend.amount, friend.currency, friend.percent) == (Decimal("3.34"), "EUR", Decimal(10))


def test_an_empty_pool_leaves_the_reward_pending_until_codes_arrive(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    for order in ("o1", "o2"):
        purchase(ctx, order)
    third = purchase(ctx, "o3")
    friend = next(r for r in third.rewards if r.side == "friend")
    assert (friend.status, friend.reason, friend.coupon) == (PENDING, "coupon_pool_empty", "")
    clock.advance(15 * DAY)
    approve_due_rewards(ctx)
    [waiting] = ctx.store.rewards.get_rewards([(friend.code, friend.reward_id)])
    assert waiting.status == PENDING and waiting.reason == "coupon_pool_empty"
    assert (
        ctx.store.coupons.add_coupons("beans", "welcome", ["WELCOME-1", "WELCOME-3"]) == 1
    )  # 1 was used
    approve_due_rewards(ctx)
    [filled] = ctx.store.rewards.get_rewards([(friend.code, friend.reward_id)])
    assert (filled.status, filled.coupon, filled.reason) == (APPROVED, "WELCOME-3", "")


def test_tier_bonus_at_exactly_n_once_even_after_a_refund(ctx) -> None:  # type: ignore[no-untyped-def]
    tiers = []
    for n in range(1, 7):
        conversion = purchase(ctx, f"o{n}")
        tiers.append([r.tier_at for r in conversion.rewards if r.side == "tier"])
    assert tiers == [[], [], [3], [], [5], []]
    assert ctx.store.referrers.get_referrer("abc2345").successful_referrals == 6
    refund_conversion(ctx, ctx.catalogue.get("beans"), "o6")
    refund_conversion(ctx, ctx.catalogue.get("beans"), "o5")
    assert ctx.store.referrers.get_referrer("abc2345").successful_referrals == 4
    again = purchase(ctx, "o7")  # the count is 5 again: Gold was already given
    assert [r.side for r in again.rewards] == ["referrer", "friend"]
    _, _, rewards = ctx.store.referrers.read_referrer_page("abc2345")
    assert sorted(r.tier_at for r in rewards if r.side == "tier") == [3, 5]


def test_refund_voids_held_rewards_claws_back_paid_ones_and_is_idempotent(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    beans = ctx.catalogue.get("beans")
    held = purchase(ctx, "o1")
    paid = purchase(ctx, "o2")
    clock.advance(14 * DAY)
    approve_due_rewards(ctx)
    referrer_reward = next(r for r in paid.rewards if r.side == "referrer")
    assert mark_paid(ctx, beans, referrer_reward.reward_id).status == PAID
    assert mark_paid(ctx, beans, referrer_reward.reward_id).status == PAID  # idempotent

    refunded, done = refund_conversion(ctx, beans, "o2")
    assert done and refunded.status == "refunded"
    assert {r.side: r.status for r in refunded.rewards} == {"referrer": CLAWBACK, "friend": VOID}
    assert refund_conversion(ctx, beans, "o2") == (refunded, False)
    voided, _ = refund_conversion(ctx, beans, "o1")
    assert set(sides(voided).values()) == {VOID}
    held_ids = [(r.code, r.reward_id) for r in held.rewards]
    assert {r.status for r in ctx.store.rewards.get_rewards(held_ids)} == {VOID}
    _, months = ctx.store.referrers.read_code("abc2345")
    day = next(m for m in months if m.kind == "conversions").days()["2026-11-18"]
    assert (day.purchases, dict(day.revenue)) == (0, {"USD": Decimal(0)})
    with pytest.raises(ConflictError, match="only an approved reward"):
        mark_paid(ctx, beans, next(r for r in held.rewards if r.side == "referrer").reward_id)
    with pytest.raises(NotFoundError):
        refund_conversion(ctx, beans, "never-sold")
    with pytest.raises(NotFoundError):
        mark_paid(ctx, beans, "rw_abc2345_0000000000000000")


def test_pixel_without_ref_credits_the_visitors_touchpoints(clock: FixedClock) -> None:
    ctx = context_for(MemoryStore(), incentive_document(TEAS, BEANS), clock)
    for code in ("aaa2345", "bbb2345"):
        add_referrer(ctx, code, program="teas")
    add_referrer(ctx, "ccc2345", program="beans")  # another program's code, clicked last
    for code, days_ago in (("aaa2345", 3), ("bbb2345", 2), ("aaa2345", 1), ("ccc2345", 0)):
        clock.at = NOW - days_ago * DAY
        record_click(ctx, KnownCodes(), code, ip="198.51.100.7", user_agent=BROWSER, counted=True)
    clock.at = NOW
    visitor = ctx.signer.visitor_hash("198.51.100.7", BROWSER)
    conversion, created = convert(ctx, "teas", order_id="t1", amount=90, visitor=visitor)
    assert created and conversion.code == "aaa2345"
    assert [(c.code, c.share, c.revenue) for c in conversion.credits] == [
        ("aaa2345", Decimal("0.6667"), Decimal("60.01")),
        ("bbb2345", Decimal("0.3333"), Decimal("29.99")),
    ]
    assert {r.code for r in conversion.rewards} == {"aaa2345"}  # the largest share
    with pytest.raises(InvalidInputError, match="Send 'ref'"):
        convert(ctx, "teas", order_id="t2", visitor="a-visitor-who-never-clicked")
    with pytest.raises(UnknownCodeError):
        convert(ctx, "teas", order_id="t3", ref="ccc2345")


def test_a_click_id_carries_the_visitor_to_server_side_conversions(clock: FixedClock) -> None:
    ctx = context_for(MemoryStore(), incentive_document(TEAS), clock)
    for code in ("aaa2345", "bbb2345"):
        add_referrer(ctx, code, program="teas")
    clock.at = NOW - DAY
    record_click(ctx, KnownCodes(), "aaa2345", ip="198.51.100.7", user_agent=BROWSER, counted=True)
    clock.at = NOW
    redirect = record_click(
        ctx, KnownCodes(), "bbb2345", ip="198.51.100.7", user_agent=BROWSER, counted=True
    )
    assert redirect is not None
    click_id = redirect.location.split("click=")[1]
    conversion, _ = convert(ctx, "teas", order_id="t1", click_id=click_id)  # no visitor known
    assert [(c.code, c.share) for c in conversion.credits] == [
        ("bbb2345", Decimal("0.5")),
        ("aaa2345", Decimal("0.5")),
    ]
