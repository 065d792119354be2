"""A program's report for a period: its KPIs, the funnel day by day, the split by channel,
landing page and attribution model, and its top referrers. The admin API serves it; the CLI
(`referbee report`) and the admin dashboard show what the API returns.

Reads are bounded by the period, never by the activity in it: one Query over the program's
daily rollups (one item per day, from the period's start to today, and the totals item),
one Query on the ranking index, and one Query of counter months per top referrer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ...model.program import Program
from ..context import Context
from . import metrics as m
from .kpis import (
    Sums,
    active_referrers,
    daily,
    from_clicks,
    kpis,
    number,
    splits,
    sum_days,
)
from .periods import Period

TOP_REFERRERS = 10
MAX_TOP_REFERRERS = 25


def program_report(
    ctx: Context, program: Program, period: Period, today: date, top: int = TOP_REFERRERS
) -> dict[str, Any]:
    rollups = ctx.store.rollups.read_rollups(program.id, period.first_day)
    inside = {day: values for day, values in rollups.days.items() if day <= period.last_day}
    joined_later = sum(
        (v.get(m.PARTICIPANTS, Decimal(0)) for d, v in rollups.days.items() if d > period.last_day),
        Decimal(0),
    )
    participants = max(0, int(rollups.total.get(m.PARTICIPANTS, Decimal(0)) - joined_later))
    sums = sum_days(inside, period)
    notes: list[str] = []
    clicked = (
        from_clicks(inside, period, m.SIGNUPS),
        from_clicks(inside, period, m.PURCHASES),
        from_clicks(inside, period, m.SUCCESSFUL),
    )
    active = active_referrers(inside, period)
    figures = kpis(program.currency, sums, participants, active, notes, clicked=clicked)
    notes += _lifetime_notes(period, today, figures)
    return {
        "program": program.id,
        "name": program.name,
        "currency": program.currency,
        "period": {"from": period.first_day, "to": period.last_day, "days": period.days},
        "summary": _summary(program, period, figures),
        "notes": notes,
        "kpis": figures,
        "channels": splits(sums, "ch", program.currency),
        "landing_pages": splits(sums, "pg", program.currency),
        "models": splits(sums, "model", program.currency),
        "top_referrers": top_referrers(ctx, program, period, top),
        "daily": daily(inside, period, program.currency),
    }


def top_referrers(ctx: Context, program: Program, period: Period, top: int) -> list[dict[str, Any]]:
    """The program's leaders by successful referrals (all time, as on the leaderboard), with
    what each brought in the period."""
    rows = []
    for rank, entry in enumerate(ctx.store.referrers.top_referrers(program.id, top), 1):
        months = ctx.store.referrers.read_counters(
            entry.code, period.first_day[:7], period.last_day[:7]
        )
        sums: Sums = {}
        for month in months:
            for day, counts in month.days().items():
                if period.first_day <= day <= period.last_day:
                    for name, value in _day_values(counts, program.currency).items():
                        sums[name] = sums.get(name, Decimal(0)) + value
        rows.append(
            {
                "rank": rank,
                "code": entry.code,
                "name": entry.name,
                "successful_referrals_all_time": entry.successful_referrals,
                "clicks": int(sums.get("clicks", 0)),
                "unique_clicks": int(sums.get("unique_clicks", 0)),
                "signups": int(sums.get("signups", 0)),
                "purchases": int(sums.get("purchases", 0)),
                "revenue": number(sums.get("revenue", Decimal(0))),
            }
        )
    return rows


def _day_values(counts: Any, currency: str) -> dict[str, Decimal]:
    return {
        "clicks": Decimal(counts.clicks),
        "unique_clicks": Decimal(counts.unique_clicks),
        "signups": Decimal(counts.signups),
        "purchases": Decimal(counts.purchases),
        "revenue": counts.revenue.get(currency, Decimal(0)),
    }


def _summary(program: Program, period: Period, figures: dict[str, Any]) -> str:
    span = f"from {period.first_day} to {period.last_day}"
    busy = any(
        figures[name] for name in ("new_participants", "clicks", "signups", "purchases", "refunds")
    ) or any(status["count"] for status in figures["rewards"].values())
    if not busy:
        return (
            f"No referral activity in {program.name} {span}: no codes issued, clicks, "
            "conversions or rewards, so every count is zero."
        )
    revenue = figures["referred_revenue"]
    return (
        f"{span.capitalize()}, {figures['clicks']} clicks ({figures['unique_clicks']} unique) "
        f"brought {figures['signups']} sign-ups and {figures['purchases']} purchases worth "
        f"{revenue} {program.currency}, for {figures['rewards_cost']} {program.currency} "
        "of rewards."
    )


def _lifetime_notes(period: Period, today: date, figures: dict[str, Any]) -> list[str]:
    if not figures["new_customers"]:
        return []
    open_windows = [days for days in m.LIFETIME_DAYS if (today - period.end).days < days]
    if not open_windows:
        return []
    listed = ", ".join(str(days) for days in open_windows)
    return [
        f"Customers first acquired in this period can still buy again within their {listed}-day "
        "windows: those repeat purchase rates and revenues per customer may still grow."
    ]
