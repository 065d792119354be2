"""What becomes of a browser claim's rewards when a trusted report confirms it
(confirmation.py): a reward the report earns too is re-issued in place, one it no longer earns
is voided (`not_confirmed`), a new one is issued; rewards that moved on stay."""

from __future__ import annotations

from dataclasses import replace

from ...model.ledger import (
    ConversionEffects,
    CouponClaim,
    OutboxMessage,
    RewardChange,
    RewardRecord,
)
from ...model.program import Program
from ...model.records import Conversion
from ...model.statuses import PENDING, VOID
from ..rewards.engine import ConversionPlan
from ..rewards.events import (
    REWARD_EARNED,
    event_id,
    reward_messages,
    tier_messages,
    voided_messages,
)


def settle_claim_rewards(
    program: Program,
    plan: ConversionPlan,
    claim: Conversion,
    confirmed: Conversion,
    effects: ConversionEffects,
    current: dict[str, RewardRecord],
    counted: bool,
    now: float,
) -> tuple[Conversion, ConversionEffects, list[RewardChange]]:
    """What becomes of each reward: one the claim holds (still waiting) and the trusted
    report earns too is re-issued in place, as the trusted report says; one it no longer
    earns is voided; a new one is issued. A tier bonus the claim earned stays with the
    referral when it is still counted. Rewards that moved on (approved after the hold) stay."""
    earned = {reward.reward_id: reward for reward in effects.rewards}
    if counted:
        for reward in current.values():
            if reward.side == "tier" and reward.status == PENDING:
                earned.setdefault(reward.reward_id, plan.confirmed(reward, now))
    changes: list[RewardChange] = []
    final: list[RewardRecord] = []
    dropped: set[str] = set()
    messages = tuple(m for m in effects.messages if m.event_type != "conversion.created")
    for rid, held in current.items():
        if held.status != PENDING:
            final.append(held)
            dropped.add(rid)
            continue
        if rid in earned:
            moved = replace(earned[rid], created_at=held.created_at, updated_at=now)
            claim_of = _coupon_claim(program, moved)
            changes.append(RewardChange(moved, PENDING, claim_of))
            messages = _without(messages, program, rid) + reward_messages(
                program, moved, now, issued=False, email=True
            )
            tier = program.incentives.tier_at(moved.tier_at) if moved.tier_at else None
            if tier is not None:
                messages += tier_messages(program, tier, moved.code, moved, now)
            final.append(moved)
        else:
            voided = replace(held, status=VOID, reason="not_confirmed", updated_at=now)
            changes.append(RewardChange(voided, PENDING))
            messages += voided_messages(program, voided, now)
            final.append(voided)
        dropped.add(rid)
    issued = tuple(r for r in effects.rewards if r.reward_id not in dropped)
    final = list(issued) + final
    effects = replace(
        effects,
        rewards=issued,
        coupons=tuple(c for c in effects.coupons if c.reward_id not in dropped),
        messages=messages,
    )
    return replace(confirmed, rewards=tuple(final)), effects, changes


def _coupon_claim(program: Program, reward: RewardRecord) -> CouponClaim | None:
    if reward.kind != "coupon" or not reward.coupon:
        return None
    return CouponClaim(program.id, reward.pool, reward.coupon, reward.reward_id)


def _without(
    messages: tuple[OutboxMessage, ...], program: Program, reward_id: str
) -> tuple[OutboxMessage, ...]:
    """The plan's messages less those announcing `reward_id` as newly issued."""
    ids = {
        event_id(program.id, kind, reward_id)
        for kind in ("reward.issued", "reward.approved", f"email.{REWARD_EARNED}")
    }
    return tuple(m for m in messages if m.event_id not in ids)
