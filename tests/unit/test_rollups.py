"""Rollups without IO: what each change adds (domain/analytics/contributions.py), how a
batch is applied once (domain/analytics/rollups.py, on the in-memory store), periods and KPI
arithmetic (domain/analytics/kpis.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.analytics import contributions, rollups
from chalicelib.domain.analytics.kpis import active_referrers, kpis, splits
from chalicelib.domain.analytics.periods import Period, parse_period
from chalicelib.domain.analytics.rollups import roll_up
from chalicelib.domain.context import Context
from chalicelib.model.analytics import (
    ChangeBatch,
    ChangeRecord,
    ConversionChange,
    CounterChange,
    ReferrerJoined,
    RewardUpdate,
)
from chalicelib.model.errors import InvalidInputError
from chalicelib.model.ledger import Credit, RewardRecord
from chalicelib.model.records import Conversion, Referrer
from tests.common import NOW

DAY = "2026-11-18"  # the day of NOW
TODAY = date(2026, 11, 18)


def clicks(old: dict[str, int], new: dict[str, int], code: str = "abc2345") -> CounterChange:
    as_decimals = lambda values: {k: Decimal(v) for k, v in values.items()}  # noqa: E731
    return CounterChange("shop", code, "2026-11", as_decimals(old), as_decimals(new))


def purchase(**kw: Any) -> Conversion:
    values: dict[str, Any] = {
        "amount": Decimal(40),
        "currency": "EUR",
        "successful": True,
        "channel": "email",
        "page": "sale",
        "model": "linear",
        "customer": "c1",
        "customer_first_at": NOW,
        "customer_seq": 1,
        **kw,
    }
    return Conversion("shop", "purchase", kw.pop("order_id", "o1"), "abc2345", NOW, **values)


def contribution(change: Any, ctx: Context) -> dict[tuple[str, str], dict[str, Decimal]]:
    return {k: dict(v) for k, v in contributions.contribution(change, ctx.catalogue).days.items()}


def test_a_click_adds_its_day_channel_and_named_page(memory_ctx: Context) -> None:
    change = clicks({"c18": 2, "ch_email": 2}, {"c18": 3, "u18": 1, "ch_email": 3, "pg_sale": 1})
    assert contribution(change, memory_ctx) == {
        ("shop", DAY): {
            "clicks": Decimal(1),
            "unique_clicks": Decimal(1),
            "ch.email.clicks": Decimal(1),
            "pg.sale.clicks": Decimal(1),
        }
    }
    assert contributions.contribution(change, memory_ctx.catalogue).first_clicks == []
    first = contributions.contribution(clicks({}, {"c18": 1, "ch_qr": 1}), memory_ctx.catalogue)
    assert first.first_clicks == [("shop", "abc2345", DAY)]
    # A page another program names, or none at all, is the main landing page here.
    assert (
        "pg.other.clicks"
        not in contribution(clicks({}, {"c18": 1, "pg_other": 1}), memory_ctx)[("shop", DAY)]
    )


def test_a_conversion_adds_its_splits_and_its_refund_takes_them_back(memory_ctx: Context) -> None:
    recorded = purchase(
        credits=(Credit("abc2345", Decimal("0.5")), Credit("xyz2345", Decimal("0.5")))
    )
    added = contribution(ConversionChange(None, recorded), memory_ctx)[("shop", DAY)]
    assert added == {
        "purchases": 1,
        "successful": 1,
        "orders.EUR": 1,
        "revenue.EUR": 40,
        "ch.email.purchases": 1,
        "ch.email.revenue.EUR": 40,
        "pg.sale.purchases": 1,
        "pg.sale.revenue.EUR": 40,
        "model.linear.purchases": 1,
        "model.linear.revenue.EUR": 40,
        "model.linear.shared": 1,
        "ltv30.EUR": 40,
        "ltv90.EUR": 40,
        "ltv365.EUR": 40,
        "customers": 1,
    }
    refunded = ConversionChange(recorded, purchase(status="refunded", refunded_at=NOW + 60))
    taken = contribution(refunded, memory_ctx)[("shop", DAY)]
    # Everything is taken back, the customer too: a refunded first purchase acquired nobody.
    assert taken == {
        **{k: -v for k, v in added.items()},
        "refunds": 1,
        "refunded.EUR": 40,
    }
    assert contribution(ConversionChange(refunded.new, refunded.new), memory_ctx) == {}


def test_a_repeat_purchase_counts_on_the_day_the_customer_first_bought(
    memory_ctx: Context,
) -> None:
    first = NOW - 40 * 86400
    later = purchase(customer_first_at=first, customer_seq=2, amount=Decimal(10))
    added = contribution(ConversionChange(None, later), memory_ctx)
    assert added[("shop", "2026-10-09")] == {
        "ltv90.EUR": 10,
        "ltv365.EUR": 10,
        "repeat90": 1,
        "repeat365": 1,
    }  # 40 days later: outside the 30-day window
    third = purchase(customer_first_at=first, customer_seq=3)
    assert (
        "repeat90"
        not in contribution(ConversionChange(None, third), memory_ctx)[("shop", "2026-10-09")]
    )


def test_rewards_move_between_statuses_on_the_day_they_were_issued(memory_ctx: Context) -> None:
    reward = RewardRecord(
        "rw_1",
        "shop",
        "abc2345",
        "referrer",
        "credit",
        "10",
        "pending",
        NOW - 86400,
        0,
        0,
        amount=Decimal(10),
        currency="EUR",
    )
    issued = contribution(RewardUpdate(None, reward), memory_ctx)
    assert issued == {
        ("shop", "2026-11-17"): {"rewards.pending.count": 1, "rewards.pending.EUR": 10}
    }
    approved = RewardUpdate(reward, RewardRecord(**{**reward.__dict__, "status": "approved"}))
    assert contribution(approved, memory_ctx)[("shop", "2026-11-17")] == {
        "rewards.pending.count": -1,
        "rewards.pending.EUR": -10,
        "rewards.approved.count": 1,
        "rewards.approved.EUR": 10,
    }


def batch(batch_id: str, *changes: Any, start: int = 1) -> ChangeBatch:
    return ChangeBatch(
        batch_id, tuple(ChangeRecord(str(start + i), c) for i, c in enumerate(changes))
    )


def test_a_batch_is_applied_once_however_often_it_comes(memory_ctx: Context) -> None:
    joined = ReferrerJoined(Referrer("abc2345", "shop", "ek", "a@b.co", "A", NOW))
    first = batch("e1", joined, clicks({}, {"c18": 1, "u18": 1}))
    assert roll_up(memory_ctx, first) == 2
    assert roll_up(memory_ctx, first) == 0
    longer = batch("e1", joined, clicks({}, {"c18": 1, "u18": 1}), clicks({"c18": 1}, {"c18": 2}))
    assert roll_up(memory_ctx, longer) == 1
    found = memory_ctx.store.rollups.read_rollups("shop", DAY)
    assert found.days[DAY] == {
        "participants": 1,
        "clicks": 2,
        "unique_clicks": 1,
        "active.new": 1,
    }
    assert found.total == {"participants": 1}


def test_a_batch_that_fails_half_way_adds_the_rest_when_it_comes_again(
    memory_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rollups, "ROLLUP_ITEMS_PER_WRITE", 3)  # one code per write
    changes = [clicks({}, {"c18": 1}, code=f"code00{i}") for i in range(6)]
    store = memory_ctx.store
    real, writes = store.rollups.apply_rollup, []

    def flaky(write: Any) -> None:
        writes.append(write)
        if len(writes) == 3:
            raise ConnectionError("network")
        real(write)

    monkeypatch.setattr(store.rollups, "apply_rollup", flaky)
    with pytest.raises(ConnectionError):
        roll_up(memory_ctx, batch("e9", *changes))
    assert roll_up(memory_ctx, batch("e9", *changes)) == 4
    assert store.rollups.read_rollups("shop", DAY).days[DAY] == {"clicks": 6, "active.new": 6}


def test_active_referrers_are_codes_with_a_click_since_the_period_began(
    memory_ctx: Context,
) -> None:
    """A code active on two days counts once; a code last active before the period counts."""
    changes = [
        clicks({}, {"c01": 1}, "aaa2345"),  # 2026-11-01, new
        clicks({"c01": 1}, {"c01": 1, "c05": 1}, "aaa2345"),  # again 4 days later
        clicks({}, {"c03": 1}, "bbb2345"),  # new on 2026-11-03
    ]
    roll_up(memory_ctx, batch("e1", *changes))
    earlier = CounterChange("shop", "ccc2345", "2026-10", {}, {"c20": Decimal(1)})
    roll_up(memory_ctx, batch("e2", earlier, clicks({}, {"c06": 1}, "ccc2345"), start=10))
    days = memory_ctx.store.rollups.read_rollups("shop", "2026-10-01").days
    assert days["2026-11-05"] == {"clicks": 1, "active.g4": 1}
    assert days["2026-11-06"] == {"clicks": 1, "active.g17": 1}
    november = Period(date(2026, 11, 1), date(2026, 11, 30))
    assert active_referrers(days, november) == 3
    assert active_referrers(days, Period(date(2026, 11, 4), date(2026, 11, 30))) == 2
    assert active_referrers(days, Period(date(2026, 10, 1), date(2026, 11, 30))) == 3


@pytest.mark.parametrize(
    ("since", "start", "end", "first", "last"),
    [
        ("30d", None, None, "2026-10-20", "2026-11-18"),
        ("1d", None, None, "2026-11-18", "2026-11-18"),
        ("2w", None, None, "2026-11-05", "2026-11-18"),
        ("1m", None, None, "2026-10-19", "2026-11-18"),
        ("1y", None, None, "2025-11-19", "2026-11-18"),
        (None, None, None, "2026-10-20", "2026-11-18"),
        (None, "2026-11-01", None, "2026-11-01", "2026-11-18"),
        (None, None, "2026-10-31", "2026-10-02", "2026-10-31"),
        (None, "2026-02-01", "2026-02-28", "2026-02-01", "2026-02-28"),
    ],
)
def test_periods(since: Any, start: Any, end: Any, first: str, last: str) -> None:
    period = parse_period(since, start, end, TODAY)
    assert (period.first_day, period.last_day) == (first, last)


@pytest.mark.parametrize("since", ["30", "d", "-3d", "3h", "1.5w", "10000d", "\u0661d"])
def test_unreadable_periods(since: str) -> None:
    with pytest.raises(InvalidInputError, match="write a number of days, weeks, months or years"):
        parse_period(since, None, None, TODAY)


def test_kpis_of_nothing_are_zeros_and_nones_with_notes() -> None:
    notes: list[str] = []
    figures = kpis("EUR", {}, participants=0, active=0, notes=notes, clicked=(0, 0, 0))
    assert figures["clicks"] == 0 and figures["referred_revenue"] == 0
    assert figures["roi"] is None and figures["viral_coefficient"] is None
    assert figures["average_order_value"] is None
    assert len(notes) == 4


def test_ratios_round_half_up_to_four_decimals_and_amounts_to_the_currency() -> None:
    sums = {
        "unique_clicks": Decimal(3),
        "signups": Decimal(1),
        "purchases": Decimal(2),
        "successful": Decimal(2),
        "orders.JPY": Decimal(3),
        "revenue.JPY": Decimal(1000),
        "rewards.approved.JPY": Decimal(100),
        "customers": Decimal(3),
    }
    figures = kpis("JPY", sums, participants=7, active=1, notes=[], clicked=(1, 2, 2))
    assert figures["click_to_signup_rate"] == 0.3333
    assert figures["click_to_purchase_rate"] == 0.6667
    assert figures["average_order_value"] == 333  # yen have no minor unit
    assert figures["cost_per_acquired_customer"] == 33
    assert figures["roi"] == 9.0
    assert figures["viral_coefficient"] == 0.2857  # 2 / 7


def test_landing_pages_put_the_rest_of_the_clicks_on_the_main_page() -> None:
    sums = {"clicks": Decimal(10), "pg.sale.clicks": Decimal(4), "pg.main.purchases": Decimal(2)}
    assert splits(sums, "pg", "EUR") == [
        {"name": "main", "label": "Main landing page", "clicks": 6}
        | {"signups": 0, "purchases": 2, "revenue": 0},
        {"name": "sale", "label": "Landing page 'sale'", "clicks": 4}
        | {"signups": 0, "purchases": 0, "revenue": 0},
    ]


def test_a_conversion_held_back_counts_when_it_is_recorded(memory_ctx: Context) -> None:
    held = purchase(status="review", flags=("bot", "disposable_email:mailinator.com"))
    waiting = {"held.purchases": 1, "held.reason.bot": 1, "held.reason.disposable_email": 1}
    assert contribution(ConversionChange(None, held), memory_ctx) == {("shop", DAY): waiting}
    released = contribution(ConversionChange(held, purchase()), memory_ctx)[("shop", DAY)]
    assert released["purchases"] == 1 and released["customers"] == 1
    assert all(released[name] == -1 for name in waiting)
    rejected = contribution(ConversionChange(held, purchase(status="rejected")), memory_ctx)
    assert rejected == {("shop", DAY): {name: -1 for name in waiting}}


def test_an_organic_conversion_counts_apart_from_referred_ones(memory_ctx: Context) -> None:
    organic = replace(purchase(successful=False, channel="", page=""), code="")
    added = contribution(ConversionChange(None, organic), memory_ctx)[("shop", DAY)]
    assert added == {"organic.purchases": 1, "organic.revenue.EUR": 40}


def test_a_confirmed_claim_counts_as_the_trusted_report_says(memory_ctx: Context) -> None:
    claim = purchase(unverified=True, customer_seq=1)
    first = contribution(ConversionChange(None, claim), memory_ctx)[("shop", DAY)]
    assert (first["purchases"], first["revenue.EUR"], first["customers"]) == (1, 40, 1)
    confirmed = purchase(amount=Decimal(25), confirmed_by="api", confirmed_at=NOW + 60)
    moved = contribution(ConversionChange(claim, confirmed), memory_ctx)[("shop", DAY)]
    moved = {k: v for k, v in moved.items() if v}
    assert moved["revenue.EUR"] == -15 and moved["ltv30.EUR"] == -15
    assert "purchases" not in moved and "customers" not in moved  # counted once, still
    held = purchase(unverified=True, status="review")
    assert contribution(ConversionChange(None, held), memory_ctx) == {
        ("shop", DAY): {"held.purchases": 1}  # waiting for review, not counted yet
    }
    released = contribution(ConversionChange(held, confirmed), memory_ctx)[("shop", DAY)]
    assert (released["purchases"], released["customers"], released["held.purchases"]) == (1, 1, -1)


def test_a_reward_reissued_with_another_amount_moves_its_cost(memory_ctx: Context) -> None:
    waiting = RewardRecord(
        "rw_abc2345_0000000000000001", "shop", "abc2345", "friend", "percent", "15%",
        "pending", NOW, NOW, NOW, amount=Decimal("149.85"), currency="EUR",
    )  # fmt: skip
    held = RewardRecord(**{**waiting.to_json(), "amount": Decimal(6)})
    moved = contribution(RewardUpdate(waiting, held), memory_ctx)[("shop", DAY)]
    assert {k: v for k, v in moved.items() if v} == {"rewards.pending.EUR": Decimal("-143.85")}


def test_organic_conversions_are_kpis_of_their_own_and_in_no_rate() -> None:
    sums = {
        "unique_clicks": Decimal(10),
        "purchases": Decimal(2),
        "organic.purchases": Decimal(7),
        "organic.signups": Decimal(3),
    }
    # Both purchases came through the period's clicks; the organic ones came through none.
    figures = kpis("EUR", sums, participants=1, active=1, notes=[], clicked=(0, 2, 0))
    assert (figures["organic_purchases"], figures["organic_signups"]) == (7, 3)
    assert figures["purchases"] == 2 and figures["click_to_purchase_rate"] == 0.2
