"""What a rule or a tier grants: a reward record with a deterministic id.

A reward id is derived from what caused it (the conversion's event and order id and the side,
or the tier), so the same cause can only ever produce the same id: the store writes a reward
only if that id does not exist yet, which is what makes issuing exactly-once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ...model.currencies import minor_digits
from ...model.fraud import BROWSER_AFTER_HOLD
from ...model.incentives import Reward, RewardRule, Tier
from ...model.ledger import COUPON_POOL_EMPTY, NEVER, UNCONFIRMED, RewardRecord
from ...model.program import Program
from ...model.records import Conversion
from ...model.statuses import APPROVED, PENDING


@dataclass(frozen=True)
class Grant:
    """Who gets a reward and how much: the parts a rule and a tier work out differently."""

    reward_id: str
    code: str
    side: str
    pool: str
    amount: Decimal | None
    currency: str


def reward_id(code: str, *cause: str) -> str:
    digest = hashlib.sha256("\n".join(cause).encode()).hexdigest()[:16]
    return f"rw_{code}_{digest}"


def code_of_reward(reward_id_: str) -> str | None:
    """The referrer code inside a reward id (rewards are stored under it)."""
    parts = reward_id_.split("_")
    if len(parts) != 3 or parts[0] != "rw" or len(parts[2]) != 16:
        return None
    return parts[1] or None


def rule_reward(
    program: Program, rule: RewardRule, conversion: Conversion, now: float
) -> RewardRecord:
    """The reward a rule gives for a conversion; stored under the primary referrer's code."""
    rid = reward_id(
        conversion.code, program.id, "conversion", conversion.event, conversion.order_id, rule.side
    )
    reward = rule.reward
    amount, currency = _value(reward, conversion)
    issued = granted(
        program,
        Grant(rid, conversion.code, rule.side, rule.pool, amount, currency),
        text=reward.text_in(program.locale),
        kind=reward.kind,
        now=now,
        percent=reward.percent,
        points=reward.points,
        order_id=conversion.order_id,
        event=conversion.event,
    )
    if rule.side == "friend" and reward.kind == "percent":
        # The friend's percentage is the shop's discount behind the referrer's code: one thing.
        issued = replace(issued, coupon=program.discount_codes.code_for(conversion.code))
    return issued


def tier_reward(program: Program, tier: Tier, code: str, now: float) -> RewardRecord:
    """A tier's bonus: one per referrer and tier, ever (its id depends on nothing else)."""
    rid = reward_id(code, program.id, "tier", str(tier.at))
    currency = tier.reward.currency or ""
    grant = Grant(rid, code, "tier", tier.pool, tier.reward.amount, currency)
    reward = tier.reward
    return granted(
        program,
        grant,
        text=reward.text_in(program.locale),
        kind=reward.kind,
        now=now,
        points=reward.points,
        tier_at=tier.at,
    )


def with_coupon(reward: RewardRecord, coupon: str | None) -> RewardRecord:
    """A coupon reward with the code drawn for it, or pending, waiting for the pool."""
    if coupon is None:
        return replace(reward, status=PENDING, reason=COUPON_POOL_EMPTY)
    return replace(reward, coupon=coupon, reason="")


def awaiting_confirmation(program: Program, reward: RewardRecord) -> RewardRecord:
    """A reward that a browser-reported conversion earns: pending until a trusted report of
    the same order confirms it (or, with `approve_after_hold`, until the hold ends); a coupon
    is drawn only then, so forged reports cannot empty the pool."""
    hold = program.incentives.hold_days * 86400
    after_hold = program.trust.browser_conversions == BROWSER_AFTER_HOLD
    return replace(
        reward,
        status=PENDING,
        reason=UNCONFIRMED,
        approve_at=reward.created_at + hold if after_hold else NEVER,
        coupon="" if reward.kind == "coupon" else reward.coupon,
    )


def granted(
    program: Program,
    grant: Grant,
    *,
    text: str,
    kind: str,
    now: float,
    percent: Decimal | None = None,
    points: int | None = None,
    order_id: str = "",
    event: str = "",
    tier_at: int = 0,
) -> RewardRecord:
    """A reward as issued at `now` (held through the hold period, if any)."""
    return held(
        program,
        RewardRecord(
            reward_id=grant.reward_id,
            program=program.id,
            code=grant.code,
            side=grant.side,
            kind=kind,
            text=text,
            status=APPROVED,
            created_at=now,
            approve_at=now,
            updated_at=now,
            order_id=order_id,
            event=event,
            tier_at=tier_at,
            amount=grant.amount,
            currency=grant.currency,
            percent=percent,
            points=points,
            pool=grant.pool if kind == "coupon" else "",
        ),
        now,
    )


def held(program: Program, reward: RewardRecord, now: float) -> RewardRecord:
    """The reward as issued at `now`: approved, or pending through the hold period."""
    hold = program.incentives.hold_days
    if not hold:
        return reward
    return replace(reward, status=PENDING, approve_at=now + hold * 86400)


def percent_of(percent: Decimal, conversion: Conversion) -> tuple[Decimal | None, str]:
    """`percent` of the conversion's amount, in its currency's minor unit."""
    if conversion.amount <= 0:
        return None, ""
    step = Decimal(1).scaleb(-minor_digits(conversion.currency))
    amount = conversion.amount * percent / Decimal(100)
    return amount.quantize(step, rounding=ROUND_HALF_UP), conversion.currency


def _value(reward: Reward, conversion: Conversion) -> tuple[Decimal | None, str]:
    if reward.kind == "credit":
        return reward.amount, reward.currency or ""
    if reward.kind == "percent" and reward.percent is not None:
        return percent_of(reward.percent, conversion)
    return None, ""
