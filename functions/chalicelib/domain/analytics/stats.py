"""A referrer's private stats: totals and a daily series, from one query over the code's
pre-aggregated monthly counter items (never a read per click)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ...model.errors import NotFoundError
from ...model.records import CounterMonth, DayCounts, Referrer
from ..context import Context, Links
from ..rewards.standing import rewards_summary, tier_progress

_NOT_FOUND = "This stats link is not valid. Ask the shop for your referral link again."


def stats_for_token(ctx: Context, token: str, links: Links) -> dict[str, Any]:
    parsed = ctx.signer.read_stats_token(token)
    if parsed is None:
        raise NotFoundError(_NOT_FOUND)
    code, version = parsed
    found = ctx.store.referrers.read_referrer_page(code)
    if found is None or found[0].token_version != version:
        raise NotFoundError(_NOT_FOUND)
    referrer, months, rewards = found
    view = stats_view(referrer, months, links)
    program = ctx.catalogue.programs.get(referrer.program)
    if program is not None:
        view["discount_code"] = program.discount_codes.code_for(referrer.code)
    view["rewards"] = rewards_summary(rewards)
    view["tier"] = tier_progress(
        ctx.catalogue.programs.get(referrer.program), referrer.successful_referrals
    )
    return view


def stats_view(referrer: Referrer, months: list[CounterMonth], links: Links) -> dict[str, Any]:
    days: dict[str, DayCounts] = {}
    channels: dict[str, int] = defaultdict(int)
    for month in months:
        for date, counts in month.days().items():
            _merge(days.setdefault(date, DayCounts()), counts)
        for channel, clicks in month.channels().items():
            channels[channel] += clicks
    total = DayCounts()
    for counts in days.values():
        _merge(total, counts)
    return {
        "code": referrer.code,
        "program": referrer.program,
        "name": referrer.name,
        "link": links.referral_link(referrer.code),
        **_counts_view(total),
        # Conversions held for review, not yet decided: shown as being checked, never why.
        "checking": {"signups": total.held_signups, "purchases": total.held_purchases},
        "successful_referrals": referrer.successful_referrals,
        "channels": dict(sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))),
        "daily": [{"date": date, **_counts_view(days[date])} for date in sorted(days)],
    }


def _merge(into: DayCounts, counts: DayCounts) -> None:
    into.clicks += counts.clicks
    into.unique_clicks += counts.unique_clicks
    into.signups += counts.signups
    into.purchases += counts.purchases
    into.held_signups += counts.held_signups
    into.held_purchases += counts.held_purchases
    for currency, amount in counts.revenue.items():
        into.revenue[currency] += amount


def _counts_view(counts: DayCounts) -> dict[str, Any]:
    return {
        "clicks": counts.clicks,
        "unique_clicks": counts.unique_clicks,
        "signups": counts.signups,
        "purchases": counts.purchases,
        "revenue": {
            cur: _money(amount) for cur, amount in sorted(counts.revenue.items()) if amount
        },
    }


def _money(amount: Decimal) -> float | int:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
