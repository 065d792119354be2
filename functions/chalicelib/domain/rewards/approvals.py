"""The life of a reward after it is issued: approved when its hold period ends (and, for a
coupon reward that found the pool empty, once a code is available), then marked paid by the
marketer. Every move is conditional on the status it leaves, so two schedulers, or a refund
racing an approval, can never move a reward twice.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace

from ...model.errors import ConflictError, NotFoundError
from ...model.ledger import (
    COUPON_POOL_EMPTY,
    CouponClaim,
    EffectsRejectedError,
    RewardChange,
    RewardRecord,
)
from ...model.program import Program
from ...model.statuses import APPROVED, PAID, PENDING
from ..context import Context
from .events import reward_messages
from .grants import code_of_reward

logger = logging.getLogger(__name__)

BATCH = 1000  # due rewards looked at per program and run


def approve_due_rewards(ctx: Context) -> int:
    """Approve every pending reward whose hold has ended; returns how many were approved.
    Coupon rewards still waiting for the pool stay pending (and are counted in the log)."""
    now = ctx.clock.now()
    approved = 0
    for program in ctx.catalogue.programs.values():
        waiting: dict[str, int] = {}
        for reward in ctx.store.rewards.list_rewards(program.id, PENDING, due_by=now, limit=BATCH):
            if reward.reason == COUPON_POOL_EMPTY and reward.pool in waiting:
                waiting[reward.pool] += 1  # that pool was empty a moment ago: do not ask again
            elif _approve(ctx, program, reward, now):
                approved += 1
            elif reward.reason == COUPON_POOL_EMPTY:
                waiting[reward.pool] = 1
        for pool, count in waiting.items():
            logger.warning(
                "%d reward(s) of program %s wait for coupons: pool '%s' is empty "
                "(add codes with: referbee coupons add --program %s --pool %s FILE)",
                count,
                program.id,
                pool,
                program.id,
                pool,
            )
    return approved


def mark_paid(ctx: Context, program: Program, reward_id: str) -> RewardRecord:
    """Record that an approved reward was paid out (credited, sent...). Idempotent."""
    reward = find_reward(ctx, program, reward_id)
    if reward.status == PAID:
        return reward
    if reward.status != APPROVED:
        raise ConflictError(
            f"Reward {reward_id} is {reward.status}; only an approved reward can be marked paid."
        )
    paid = replace(reward, status=PAID, updated_at=ctx.clock.now())
    try:
        ctx.store.rewards.change_rewards([RewardChange(paid, APPROVED)])
    except EffectsRejectedError:
        return mark_paid(ctx, program, reward_id)  # it moved meanwhile: answer from its state
    return paid


def find_reward(ctx: Context, program: Program, reward_id: str) -> RewardRecord:
    code = code_of_reward(reward_id)
    found = ctx.store.rewards.get_rewards([(code, reward_id)]) if code else []
    if not found or found[0].program != program.id:
        raise NotFoundError(f"There is no reward '{reward_id[:60]}' in program '{program.id}'.")
    return found[0]


def _approve(ctx: Context, program: Program, reward: RewardRecord, now: float) -> bool:
    """Approve one due reward: a coupon reward without its code (the pool was empty, or a
    browser's unconfirmed claim drew none) draws one now; a reward that waited sends the
    referrer's email now, as none was sent when it was issued."""
    waited = reward.kind == "coupon" and not reward.coupon
    for _ in range(3):
        claim = None
        if waited:
            free = ctx.store.coupons.free_coupons(program.id, reward.pool, 10)
            if not free:
                return False
            claim = CouponClaim(program.id, reward.pool, random.choice(free), reward.reward_id)
        approved = replace(
            reward,
            status=APPROVED,
            reason="",
            coupon=claim.coupon if claim else reward.coupon,
            updated_at=now,
        )
        messages = reward_messages(program, approved, now, issued=False, email=bool(reward.reason))
        try:
            ctx.store.rewards.change_rewards([RewardChange(approved, PENDING, claim)], messages)
        except EffectsRejectedError as exc:
            if exc.rejection.rewards_taken:
                return False  # refunded or approved by someone else meanwhile
            continue  # the coupon went to another reward: draw again
        return True
    return False
