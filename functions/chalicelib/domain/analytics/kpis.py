"""The KPIs of a program over a period, from its daily rollups (docs/analytics.md defines each
one). Pure arithmetic: counts are sums of days; a ratio whose denominator is zero is None
(shown as "—") and a note says why, never a division by zero. Ratios are rounded to 4
decimals, amounts to the currency's minor unit (half up). Amounts that feed ratios are in the
program's currency; revenue in other currencies is listed but left out of them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...model.currencies import minor_digits
from ...model.statuses import COST_STATUSES, REWARD_STATUSES
from . import metrics as m
from .labels import label
from .periods import Period

Sums = dict[str, Decimal]
RATIO_STEP = Decimal("0.0001")


def sum_days(days: dict[str, Sums], period: Period) -> Sums:
    total: Sums = defaultdict(Decimal)
    for day in period.dates():
        for name, value in days.get(day, {}).items():
            total[name] += value
    return total


def active_referrers(days: dict[str, Sums], period: Period) -> int:
    """Codes with a click in the period: each code's first click of a day in the period
    counts when the code had no click since the period began (never, or a gap reaching back
    before the first day)."""
    count = Decimal(0)
    for offset, day in enumerate(period.dates()):
        values = days.get(day, {})
        count += values.get(m.ACTIVE_NEW, Decimal(0))
        for name, value in values.items():
            if name.startswith("active.g") and int(name[8:]) > offset:
                count += value
    return int(count)


def from_clicks(days: dict[str, Sums], period: Period, what: str) -> int:
    """Conversions of the period made through a click of the period: on each day, those whose
    click was at most as many days back as the period had begun."""
    count = Decimal(0)
    prefix = m.from_click(what, 0)[:-1]
    for offset, day in enumerate(period.dates()):
        for name, value in days.get(day, {}).items():
            if name.startswith(prefix) and int(name[len(prefix) :]) <= offset:
                count += value
    return int(count)


def kpis(
    currency: str,
    sums: Sums,
    participants: int,
    active: int,
    notes: list[str],
    *,
    clicked: tuple[int, int, int],
) -> dict[str, Any]:
    """`clicked`: the period's signups, purchases and successful referrals made through the
    period's clicks (the numerators of its rates)."""
    money = _money(currency)
    unique = _int(sums, m.UNIQUE_CLICKS)
    signups, purchases = _int(sums, m.SIGNUPS), _int(sums, m.PURCHASES)
    clicked_signups, clicked_purchases, clicked_successful = clicked
    successful, customers = _int(sums, m.SUCCESSFUL), _int(sums, m.CUSTOMERS)
    revenue = sums.get(m.revenue(currency), Decimal(0))
    orders = _int(sums, m.orders(currency))
    cost = sum(
        (sums.get(m.reward_metric(status, currency), Decimal(0)) for status in COST_STATUSES),
        Decimal(0),
    )
    if not unique:
        notes.append("No unique clicks in this period: conversion rates are not defined.")
    if not cost:
        notes.append("No rewards cost in this period: ROI is not defined.")
    if not customers:
        notes.append(
            "No new referred customers in this period: cost per acquired customer, repeat "
            "purchase rates and revenue per customer are not defined."
        )
    if not participants:
        notes.append("No participants yet: the viral coefficient is not defined.")
    invites_each = _ratio(unique, participants)
    invite_conversion = _ratio(clicked_successful, unique)
    return {
        "participants": participants,
        "new_participants": _int(sums, m.PARTICIPANTS),
        "active_referrers": active,
        "clicks": _int(sums, m.CLICKS),
        "unique_clicks": unique,
        "signups": signups,
        "purchases": purchases,
        "organic_signups": _int(sums, m.organic(m.SIGNUPS)),
        "organic_purchases": _int(sums, m.organic(m.PURCHASES)),
        "successful_referrals": successful,
        "signups_from_clicks": clicked_signups,
        "purchases_from_clicks": clicked_purchases,
        "other_signups": signups - clicked_signups,
        "other_purchases": purchases - clicked_purchases,
        "click_to_signup_rate": _ratio(clicked_signups, unique),
        "click_to_purchase_rate": _ratio(clicked_purchases, unique),
        "revenue": _by_currency(sums, "revenue."),
        "referred_revenue": money(revenue),
        "average_order_value": money(revenue / orders) if orders else None,
        "refunds": _int(sums, m.REFUNDS),
        "refunded": _by_currency(sums, "refunded."),
        "rewards": {status: _rewards(sums, status) for status in REWARD_STATUSES},
        "rewards_cost": money(cost),
        "new_customers": customers,
        "repeat_purchases": _int(sums, m.REPEAT_PURCHASES),
        "cost_per_acquired_customer": money(cost / customers) if customers else None,
        "roi": _ratio(revenue - cost, cost),
        "invites": unique,
        "invites_per_participant": invites_each,
        "successful_referrals_from_clicks": clicked_successful,
        "invite_conversion_rate": invite_conversion,
        "viral_coefficient": _ratio(successful, participants) if unique else None,
        "lifetime": {
            str(days): {
                "repeat_purchase_rate": _ratio(_int(sums, m.repeat(days)), customers),
                "revenue_per_customer": money(
                    sums.get(m.lifetime_value(days, currency), Decimal(0)) / customers
                )
                if customers
                else None,
            }
            for days in m.LIFETIME_DAYS
        },
    }


def splits(sums: Sums, kind: str, currency: str) -> list[dict[str, Any]]:
    """Clicks and conversions by share channel (ch), landing page (pg) or model, most first."""
    money = _money(currency)
    rows: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    prefix = f"{kind}."
    for name, value in sums.items():
        if name.startswith(prefix):
            split_name, _, what = name[len(prefix) :].partition(".")
            rows[split_name][what] += value
    if kind == "pg":
        named = sum((row["clicks"] for row in rows.values()), Decimal(0))
        main = sums.get(m.CLICKS, Decimal(0)) - named
        if main:
            rows[m.MAIN_PAGE]["clicks"] += main
    found = []
    for split_name, row in rows.items():
        entry: dict[str, Any] = {
            "name": split_name,
            "label": label(kind, split_name),
            "signups": int(row["signups"]),
            "purchases": int(row["purchases"]),
            "revenue": money(row[f"revenue.{currency}"]),
        }
        if kind != "model":
            entry = {**entry, "clicks": int(row["clicks"])}
        else:
            entry["shared"] = int(row["shared"])
        if any(value for key, value in entry.items() if key not in ("name", "label")):
            found.append(entry)
    key = "clicks" if kind != "model" else "purchases"
    return sorted(found, key=lambda e: (-e[key], -e["purchases"], -e["signups"], e["name"]))


def daily(days: dict[str, Sums], period: Period, currency: str) -> list[dict[str, Any]]:
    """Every day of the period, zeros included (the funnel over time)."""
    money = _money(currency)
    rows = []
    for day in period.dates():
        values = days.get(day, {})
        rows.append(
            {
                "date": day,
                "clicks": _int(values, m.CLICKS),
                "unique_clicks": _int(values, m.UNIQUE_CLICKS),
                "signups": _int(values, m.SIGNUPS),
                "purchases": _int(values, m.PURCHASES),
                "revenue": money(values.get(m.revenue(currency), Decimal(0))),
            }
        )
    return rows


def number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _money(currency: str) -> Any:
    step = Decimal(1).scaleb(-minor_digits(currency))

    def rounded(amount: Decimal) -> float | int:
        return number(amount.quantize(step, rounding=ROUND_HALF_UP))

    return rounded


def _ratio(part: Decimal | int, whole: Decimal | int) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(RATIO_STEP, rounding=ROUND_HALF_UP))


def _int(values: Sums, name: str) -> int:
    return int(values.get(name, Decimal(0)))


def _by_currency(sums: Sums, prefix: str) -> dict[str, float | int]:
    return {
        name[len(prefix) :]: number(value)
        for name, value in sorted(sums.items())
        if name.startswith(prefix) and value
    }


def _rewards(sums: Sums, status: str) -> dict[str, Any]:
    prefix = f"rewards.{status}."
    value = {
        name[len(prefix) :]: number(amount)
        for name, amount in sorted(sums.items())
        if name.startswith(prefix) and name[len(prefix) :] not in ("count", "points") and amount
    }
    return {
        "count": _int(sums, m.reward_metric(status, "count")),
        "value": value,
        "points": _int(sums, m.reward_metric(status, "points")),
    }
