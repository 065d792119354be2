"""Refunds: a refunded order stops counting and its rewards are voided, or marked for clawback
when they were already paid. Nothing is deleted: the conversion and its rewards stay, with
their new status, so the marketer can see what happened and recover what was paid.

A tier bonus is not taken back: the refund lowers the referrer's count of successful
referrals (and so their tier), but a bonus once issued stays, and reaching the tier again does
not issue it twice (docs/rewards.md).
"""

from __future__ import annotations

from dataclasses import replace

from ...model.errors import ConflictError, NotFoundError, UnavailableError
from ...model.ledger import EffectsRejectedError, OutboxMessage, RewardChange, RewardRecord
from ...model.program import Program
from ...model.records import Conversion
from ...model.statuses import APPROVED, CLAWBACK, PAID, PENDING, REFUNDED, REJECTED, REVIEW, VOID
from ..context import Context
from ..rewards.events import voided_messages, webhook_messages
from .views import conversion_view

_ATTEMPTS = 5


def refund_conversion(
    ctx: Context, program: Program, order_id: str, event: str = "purchase"
) -> tuple[Conversion, bool]:
    """(conversion after the refund, refunded now). A second refund of the same order
    changes nothing and answers with the refunded conversion."""
    conversion = ctx.store.conversions.get_conversion(program.id, event, order_id)
    if conversion is None:
        raise NotFoundError(
            f"There is no {event} with order_id '{order_id[:128]}' in program '{program.id}'."
        )
    if conversion.status in (REVIEW, REJECTED):
        raise ConflictError(
            f"This {event} is {conversion.status} (held by a fraud rule): it never counted, so "
            "there is nothing to refund; reject it in the review queue instead."
        )
    now = ctx.clock.now()
    for _ in range(_ATTEMPTS):
        if conversion.status == REFUNDED:
            return conversion, False
        changes, rewards = _reward_changes(ctx, conversion, now)
        refunded = replace(conversion, status=REFUNDED, refunded_at=now, rewards=rewards)
        messages: tuple[OutboxMessage, ...] = ()
        for change in changes:
            messages += voided_messages(program, change.reward, now)
        messages += webhook_messages(
            program,
            "conversion.refunded",
            (conversion.event, conversion.order_id),
            conversion_view(refunded),
            now,
        )
        try:
            if ctx.store.conversions.refund_conversion(refunded, changes, messages):
                return refunded, True
        except EffectsRejectedError:
            pass  # a reward moved (approved, paid) meanwhile: look again
        found = ctx.store.conversions.get_conversion(program.id, event, order_id)
        if found is None:  # pragma: no cover - conversions are never deleted
            raise NotFoundError(f"The {event} '{order_id[:128]}' disappeared.")
        conversion = found
    raise UnavailableError("The rewards of this order kept changing; try the refund again.")


def _reward_changes(
    ctx: Context, conversion: Conversion, now: float
) -> tuple[list[RewardChange], tuple[RewardRecord, ...]]:
    """How each reward of the conversion moves, and the rewards as they will be."""
    current = {
        r.reward_id: r
        for r in ctx.store.rewards.get_rewards([(r.code, r.reward_id) for r in conversion.rewards])
    }
    changes: list[RewardChange] = []
    after: list[RewardRecord] = []
    for issued in conversion.rewards:
        reward = current.get(issued.reward_id, issued)
        target = _after_refund(reward)
        if target is not None:
            moved = replace(reward, status=target, reason=REFUNDED, updated_at=now)
            changes.append(RewardChange(moved, reward.status))
            reward = moved
        after.append(reward)
    return changes, tuple(after)


def _after_refund(reward: RewardRecord) -> str | None:
    if reward.side == "tier":
        return None
    if reward.status in (PENDING, APPROVED):
        return VOID
    if reward.status == PAID:
        return CLAWBACK
    return None
