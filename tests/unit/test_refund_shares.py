"""Refunds and disputes in proportion (domain/conversions/refunds.py): unpaid rewards keep
their part of the order, paid ones get an adjustment netted in the next payout, a dispute the
shop wins gives everything back, and the same losses applied twice or out of order end the
same. On the in-memory twin; the Stripe and Shopify webhooks call the same path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.context import Context
from chalicelib.domain.conversions.refunds import record_losses
from chalicelib.domain.rewards.approvals import approve_due_rewards, mark_paid
from chalicelib.domain.rewards.standing import rewards_summary
from chalicelib.model.clock import FixedClock
from chalicelib.model.losses import Loss
from chalicelib.model.records import Conversion
from chalicelib.model.statuses import APPROVED, CLAWBACK, PAID, VOID
from chalicelib.store.memory import MemoryStore
from tests.common import NOW
from tests.incentives import add_referrer, context_for, incentive_document, purchase

CREDIT = {"text": "$10 credit", "kind": "credit", "amount": 10}
PERCENT = {"text": "10% of the order", "kind": "percent", "percent": 10}


@pytest.fixture
def ctx() -> Context:
    document = incentive_document(hold_days=0, tiers=[], referrer=CREDIT, friend=PERCENT)
    found = context_for(MemoryStore(), document, FixedClock(NOW))
    add_referrer(found)
    return found


def lose(ctx: Context, order: str, *losses: Loss) -> tuple[Conversion, bool]:
    beans = ctx.catalogue.get("beans")
    conversion = ctx.store.conversions.get_conversion("beans", "purchase", order)
    assert conversion is not None
    return record_losses(ctx, beans, conversion, losses)


def stored(ctx: Context) -> list[Any]:
    _, _, rewards = ctx.store.referrers.read_referrer_page("abc2345")
    return sorted(rewards, key=lambda r: (bool(r.adjusts), r.side, r.amount or 0))


def test_a_partial_refund_shrinks_unpaid_rewards_and_adjusts_paid_ones(ctx: Context) -> None:
    bought = purchase(ctx, "o1", amount=200)
    referrer = next(r for r in bought.rewards if r.side == "referrer")
    mark_paid(ctx, ctx.catalogue.get("beans"), referrer.reward_id)

    after, changed = lose(ctx, "o1", Loss("re_1", "refund", Decimal(50)))

    assert changed and after.status == "recorded"
    rows = [(r.side, r.status, r.amount, r.adjusts != "") for r in stored(ctx)]
    assert rows == [
        ("friend", APPROVED, Decimal("15.00"), False),  # 10% of 200, less a quarter
        ("referrer", PAID, Decimal(10), False),  # paid: it keeps what it was paid
        ("referrer", APPROVED, Decimal("-2.50"), True),  # a quarter of it, netted next
    ]
    assert lose(ctx, "o1", Loss("re_1", "refund", Decimal(50)))[1] is False  # delivered again
    summary = rewards_summary(stored(ctx))
    assert (summary["earned"], summary["value"]) == (1, {"USD": 7.5})


def test_refunds_reported_out_of_order_end_as_the_largest_total(ctx: Context) -> None:
    purchase(ctx, "o2", amount=100)
    lose(ctx, "o2", Loss("ch_1", "refund", Decimal(60)))
    assert lose(ctx, "o2", Loss("ch_1", "refund", Decimal(30)))[1] is False  # an older total
    friend = next(r for r in stored(ctx) if r.side == "friend")
    assert (friend.amount, friend.gross) == (Decimal("4.00"), Decimal("10.00"))
    whole, _ = lose(ctx, "o2", Loss("ch_1", "refund", Decimal(100)))
    assert whole.status == "refunded"
    assert {r.status for r in stored(ctx)} == {VOID}


def test_a_dispute_holds_the_rewards_and_winning_it_gives_them_back(
    ctx: Context,
) -> None:
    bought = purchase(ctx, "o3", amount=80)
    referrer = next(r for r in bought.rewards if r.side == "referrer")
    mark_paid(ctx, ctx.catalogue.get("beans"), referrer.reward_id)

    held, _ = lose(ctx, "o3", Loss("dp_1", "dispute", Decimal(80), "needs_response"))
    assert held.status == "recorded"  # disputed, not lost: it still counts
    rows = [(r.side, r.status, r.reason, r.amount) for r in stored(ctx)]
    assert rows == [
        ("friend", VOID, "disputed", Decimal("8.00")),
        ("referrer", PAID, "", Decimal(10)),
        ("referrer", APPROVED, "disputed", Decimal(-10)),
    ]
    won, _ = lose(ctx, "o3", Loss("dp_1", "dispute", Decimal(80), "won"))
    late = lose(ctx, "o3", Loss("dp_1", "dispute", Decimal(80), "under_review"))
    assert late == (won, False)  # an earlier report arriving late does not undo the outcome
    rows = [(r.side, r.status, r.reason, r.amount) for r in stored(ctx)]
    assert rows == [
        ("friend", APPROVED, "", Decimal("8.00")),
        ("referrer", PAID, "", Decimal(10)),
        ("referrer", APPROVED, "disputed", Decimal(-10)),
        ("referrer", APPROVED, "dispute_won", Decimal(10)),
    ]
    assert rewards_summary(stored(ctx))["value"] == {"USD": 10}


def test_a_lost_dispute_refunds_the_order_and_claws_back_what_was_paid(
    ctx: Context, clock: FixedClock
) -> None:
    bought = purchase(ctx, "o4", amount=40)
    referrer = next(r for r in bought.rewards if r.side == "referrer")
    mark_paid(ctx, ctx.catalogue.get("beans"), referrer.reward_id)
    lose(ctx, "o4", Loss("dp_2", "dispute", Decimal(40), "needs_response"))
    lost, _ = lose(ctx, "o4", Loss("dp_2", "dispute", Decimal(40), "lost"))
    assert lost.status == "refunded"
    assert {(r.side, r.status) for r in lost.rewards} == {
        ("referrer", CLAWBACK),
        ("friend", VOID),
    }
    assert ctx.store.referrers.get_referrer("abc2345").successful_referrals == 0
    adjustments = [r.amount for r in stored(ctx) if r.adjusts]
    assert adjustments == [Decimal(-10)]  # taken back once, while it was disputed
    assert approve_due_rewards(ctx) == 0
    assert rewards_summary(stored(ctx))["value"] == {"USD": 0}  # paid 10, taken back 10
