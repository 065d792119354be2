"""A referrer's standing, as the stats page shows it: their rewards and their tier."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ...model.ledger import RewardRecord
from ...model.program import Program
from ...model.statuses import APPROVED, COST_STATUSES, PAID, PENDING
from .views import reward_view

MAX_ITEMS = 50


def rewards_summary(rewards: list[RewardRecord]) -> dict[str, Any]:
    """Counts of the referrer's rewards (their own and tier bonuses, not their friends'),
    the value of those earned, and the latest ones, newest first. `earned` is pending plus
    approved; `approved` includes paid; voided rewards are listed but not counted. The value
    nets what refunds took back of paid rewards (their adjustments, listed too, are not
    counted as rewards)."""
    own = [r for r in rewards if r.side != "friend"]
    counted = [r for r in own if not r.adjusts]
    pending = sum(1 for r in counted if r.status == PENDING)
    approved = sum(1 for r in counted if r.status in (APPROVED, PAID))
    value: dict[str, Decimal] = defaultdict(Decimal)
    for reward in own:
        if reward.status not in COST_STATUSES:
            continue
        if reward.amount is not None and reward.currency:
            value[reward.currency] += reward.amount
        if reward.points:
            value["points"] += reward.points
    newest = sorted(own, key=lambda r: (-r.created_at, r.reward_id))[:MAX_ITEMS]
    return {
        "earned": pending + approved,
        "pending": pending,
        "approved": approved,
        "value": {key: _number(amount) for key, amount in sorted(value.items())},
        # The shop's order ids are not the referrer's business.
        "items": [{k: v for k, v in reward_view(r).items() if k != "order_id"} for r in newest],
    }


def tier_progress(program: Program | None, count: int) -> dict[str, Any]:
    """The tier reached with `count` successful referrals, the next one, and how far along
    the way to it the referrer is (0..1; 1 at the top tier; 0 without tiers)."""
    tiers = program.incentives.tiers if program else ()
    current = next((t for t in reversed(tiers) if t.at <= count), None)
    upcoming = next((t for t in tiers if t.at > count), None)
    if upcoming is None:
        progress = 1.0 if current else 0.0
    else:
        base = current.at if current else 0
        progress = round(max(0.0, min(1.0, (count - base) / (upcoming.at - base))), 4)
    return {
        "current": {"name": current.name, "at": current.at, "badge": current.badge}
        if current
        else None,
        "next": {"name": upcoming.name, "at": upcoming.at} if upcoming else None,
        "progress": progress,
    }


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)
