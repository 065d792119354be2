"""Every KPI of a week in which purchases arrive with and without clicks, checked against
values worked out by hand: a rate counts only the conversions its own clicks could have
produced, and the counts beside it add up.

The week is the 7 days to TODAY; D-n is n days before. Two unique clicks on D-3.
- a, b: purchases by `ref` only (no click), customers A and B, 50 and 30 EUR on D-2;
- c: a purchase by `ref` only, customer C, 20 EUR on D-1, refunded since;
- d: a purchase through a D-3 click, customer D, 40 EUR on D-3;
- e: D's second purchase through the same click, 10 EUR on D-1;
- f: a purchase through a click of D-10 (before the week), customer E, 60 EUR on D-4;
- g: a signup through a D-3 click on D-3; h: a signup by `ref` only on D-2.
Rewards: 40 EUR approved on D-2.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.domain.analytics import metrics as m
from chalicelib.domain.analytics.contributions import contribution
from chalicelib.domain.analytics.kpis import from_clicks, kpis, sum_days
from chalicelib.domain.analytics.periods import parse_period
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.analytics import ConversionChange
from chalicelib.model.program import Catalogue
from chalicelib.model.records import Conversion
from tests.common import SECRET
from tests.unit.test_rollups import TODAY

NOON = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC).timestamp()
SIGNER = Signer(SECRET)


def ago(days: int) -> float:
    return NOON - days * 86400


def day(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def conversion(event: str, order: str, when: int, **kw: Any) -> Conversion:
    clicked = kw.pop("clicked", None)
    click_id = SIGNER.click_id("abc2345", ago(clicked)) if clicked is not None else ""
    customer_seq = kw.pop("seq", 1 if event == "purchase" else 0)
    return Conversion(
        "shop",
        event,
        order,
        "abc2345",
        ago(when),
        amount=Decimal(kw.pop("amount", 0)),
        currency="EUR" if event == "purchase" else "",
        click_id=click_id,
        successful=event == "purchase",
        customer=kw.pop("customer", ""),
        customer_first_at=ago(kw.pop("first", when)) if event == "purchase" else 0.0,
        customer_seq=customer_seq,
    )


def the_week(catalogue: Catalogue) -> dict[str, Any]:
    days: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    changes = [
        ConversionChange(None, conversion("purchase", "a", 2, amount=50, customer="A")),
        ConversionChange(None, conversion("purchase", "b", 2, amount=30, customer="B")),
        ConversionChange(None, conversion("purchase", "d", 3, amount=40, customer="D", clicked=3)),
        ConversionChange(
            None,
            conversion("purchase", "e", 1, amount=10, customer="D", clicked=3, seq=2, first=3),
        ),
        ConversionChange(None, conversion("purchase", "f", 4, amount=60, customer="E", clicked=10)),
        ConversionChange(None, conversion("signup", "g", 3, clicked=3)),
        ConversionChange(None, conversion("signup", "h", 2)),
    ]
    refunded = conversion("purchase", "c", 1, amount=20, customer="C")
    changes += [
        ConversionChange(None, refunded),
        ConversionChange(refunded, Conversion(**{**refunded.__dict__, "status": "refunded"})),
    ]
    for change in changes:
        for (_, when), values in contribution(change, catalogue).days.items():
            for name, value in values.items():
                days[when][name] += value
    days[day(3)][m.CLICKS] += 2
    days[day(3)][m.UNIQUE_CLICKS] += 2
    days[day(2)][m.reward_metric("approved", "EUR")] += 40
    days[day(2)][m.reward_metric("approved", "count")] += 4
    period = parse_period("7d", None, None, TODAY)
    clicked = (
        from_clicks(days, period, m.SIGNUPS),
        from_clicks(days, period, m.PURCHASES),
        from_clicks(days, period, m.SUCCESSFUL),
    )
    return kpis("EUR", sum_days(days, period), 5, 1, [], clicked=clicked)


def test_every_kpi_of_a_week_with_and_without_clicks(catalogue: Catalogue) -> None:
    figures = the_week(catalogue)
    revenue = 50 + 30 + 40 + 10 + 60  # c was refunded
    assert figures["clicks"] == 2 and figures["unique_clicks"] == 2
    assert figures["signups"] == 2  # g and h
    assert figures["purchases"] == 5  # a, b, d, e, f
    # Only d was bought through a click of the week (e is D's second purchase, f's click
    # came before the week); g was the one signup through one.
    assert figures["purchases_from_clicks"] == 1
    assert figures["other_purchases"] == 4
    assert figures["signups_from_clicks"] == 1
    assert figures["other_signups"] == 1
    assert figures["click_to_purchase_rate"] == 0.5  # 1 / 2, not 5 / 2 = 250%
    assert figures["click_to_signup_rate"] == 0.5  # 1 / 2
    # A, B, D and E are new customers (C's only purchase was refunded); e is a repeat.
    assert figures["new_customers"] == 4
    assert figures["repeat_purchases"] == 1
    assert figures["new_customers"] + figures["repeat_purchases"] == figures["purchases"]
    assert figures["referred_revenue"] == revenue == 190
    assert figures["average_order_value"] == 38  # 190 / 5
    assert figures["refunds"] == 1 and figures["refunded"] == {"EUR": 20}
    assert figures["rewards_cost"] == 40
    assert figures["cost_per_acquired_customer"] == 10  # 40 / 4
    assert figures["roi"] == 3.75  # (190 - 40) / 40
    assert figures["invites"] == 2
    assert figures["invites_per_participant"] == 0.4  # 2 / 5
    assert figures["successful_referrals"] == 5
    # Successful referrals are purchases here: one of them came through the week's clicks.
    assert figures["successful_referrals_from_clicks"] == 1
    assert figures["invite_conversion_rate"] == 0.5  # 1 / 2, not 5 / 2
    assert figures["viral_coefficient"] == 1  # 5 successful referrals / 5 participants
    assert figures["lifetime"]["30"] == {
        "repeat_purchase_rate": 0.25,  # D of A, B, D, E
        "revenue_per_customer": 47.5,  # (50 + 30 + 40 + 10 + 60) / 4
    }
