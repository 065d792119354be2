"""Repeat purchases of a referred customer: renewals of a subscription, later orders. They are
not new referrals (no referral counted, no first-purchase reward issued again); they earn only
what the program's recurring rule gives (`rewards.recurring`), for its months after the
customer's first purchase and at most its limit of times. Nothing already earned is taken back
when a subscription ends; its later payments just earn nothing (docs/rewards.md)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from ...model.ledger import RewardRecord
from ...model.payments import Recurring
from ...model.program import Program
from ...model.records import Conversion, CustomerProfile
from .grants import Grant, granted, percent_of, reward_id

RECURRING = "recurring"  # the side of a recurring reward: the referrer's, on a later purchase


def recurring_reward(
    program: Program,
    profile: CustomerProfile,
    conversion: Conversion,
    now: float,
    *,
    stopped: bool = False,
) -> tuple[RewardRecord | None, str]:
    """The reward a repeat purchase earns, or None and the reason it earns nothing.
    `stopped`: the purchase renews a subscription that has ended."""
    rule = program.incentives.recurring
    if rule is None:
        return None, ""
    if stopped:
        return None, "recurring:subscription_ended"
    if rule.months is not None and conversion.created_at >= add_months(
        profile.first_at, rule.months
    ):
        return None, "recurring:past_months"
    if rule.limit is not None and profile.purchases > rule.limit:
        return None, "recurring:limit_reached"
    return _reward(program, rule, conversion, now), ""


def add_months(at: float, months: int) -> float:
    """The same moment `months` calendar months later (the last day of a shorter month)."""
    start = datetime.fromtimestamp(at, UTC)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day).timestamp()


def _reward(program: Program, rule: Recurring, conversion: Conversion, now: float) -> RewardRecord:
    rid = reward_id(
        conversion.code, program.id, "conversion", conversion.event, conversion.order_id, RECURRING
    )
    amount, currency = percent_of(rule.percent, conversion)
    grant = Grant(rid, conversion.code, RECURRING, "", amount, currency)
    return granted(
        program,
        grant,
        text=rule.text,
        kind="percent",
        now=now,
        percent=rule.percent,
        order_id=conversion.order_id,
        event=conversion.event,
    )
