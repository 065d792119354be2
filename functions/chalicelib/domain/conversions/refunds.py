"""Refunds and disputes: the money of an order that went back, and what it does to the order.

One path for all of them: the API's refund call (the whole order), and the refunds and
disputes Stripe and Shopify report (any part of it). Each loss is kept on the conversion by
the provider's id, so the same report applied twice, or reports applied out of order, end
the same. The order's rewards follow the share lost (domain/rewards/clawbacks.py); when
refunds (or lost disputes) cover the whole order, it stops counting: its counters are taken
back and it is no longer a successful referral. Nothing is deleted: the conversion and its
rewards stay, with their new status, so the marketer can see what happened.

A tier bonus is not taken back: the refund lowers the referrer's count of successful
referrals (and so their tier), but a bonus once issued stays, and reaching the tier again does
not issue it twice (docs/rewards.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

from ...model.errors import ConflictError, NotFoundError, UnavailableError
from ...model.ledger import NEW_REWARD, EffectsRejectedError, OutboxMessage, RewardChange
from ...model.losses import REFUND, Loss, losses_to_text
from ...model.program import Program
from ...model.records import Conversion
from ...model.statuses import CLAWBACK, RECORDED, REFUNDED, REJECTED, REVIEW, VOID
from ..context import Context
from ..rewards.clawbacks import DISPUTE_WON, DISPUTED, LostShare, settle_rewards
from ..rewards.events import reward_messages, voided_messages, webhook_messages
from .views import conversion_view

_ATTEMPTS = 5
API_REFUND = "api"  # the loss id of a refund made through the API


def refund_conversion(
    ctx: Context, program: Program, order_id: str, event: str = "purchase"
) -> tuple[Conversion, bool]:
    """The API's refund: the whole order. (conversion after the refund, refunded now); a
    second refund of the same order changes nothing and answers with it as it is."""
    conversion = ctx.store.conversions.get_conversion(program.id, event, order_id)
    if conversion is None:
        raise NotFoundError(
            f"There is no {event} with order_id '{order_id[:128]}' in program '{program.id}'."
        )
    if conversion.status == REFUNDED:
        return conversion, False
    return record_losses(ctx, program, conversion, (Loss(API_REFUND, REFUND, conversion.amount),))


def record_losses(
    ctx: Context, program: Program, conversion: Conversion, losses: tuple[Loss, ...]
) -> tuple[Conversion, bool]:
    """Add refunds or disputes to a conversion and bring it and its rewards to what they
    say; (conversion after, changed now). Losses it already holds change nothing."""
    if conversion.status in (REVIEW, REJECTED):
        raise ConflictError(
            f"This {conversion.event} is {conversion.status} (held by a fraud rule): it never "
            "counted, so there is nothing to refund; reject it in the review queue instead."
        )
    now = ctx.clock.now()
    for _ in range(_ATTEMPTS):
        merged = merge_losses(conversion.losses, losses)
        if merged == conversion.losses or conversion.status == REFUNDED:
            return conversion, False
        lost = lost_share(conversion, merged)
        current = ctx.store.rewards.get_rewards([(r.code, r.reward_id) for r in conversion.rewards])
        found = {r.reward_id: r for r in current}
        stored = [found.get(r.reward_id, r) for r in conversion.rewards]
        changes, rewards = settle_rewards(stored, lost, now)
        after = replace(conversion, losses=merged, rewards=tuple(rewards))
        if lost.final and lost.share >= 1:
            after = replace(after, status=REFUNDED, refunded_at=now)
        try:
            messages = _messages(program, conversion, after, changes, now)
            if ctx.store.conversions.refund_conversion(conversion, after, changes, messages):
                return after, True
        except EffectsRejectedError:
            pass  # a reward moved (approved, paid) meanwhile: look again
        again = ctx.store.conversions.get_conversion(
            program.id, conversion.event, conversion.order_id
        )
        if again is None:  # pragma: no cover - conversions are never deleted
            raise NotFoundError(f"The {conversion.event} '{conversion.order_id}' disappeared.")
        conversion = again
    raise UnavailableError("The rewards of this order kept changing; try the refund again.")


def merge_losses(held: tuple[Loss, ...], reported: tuple[Loss, ...]) -> tuple[Loss, ...]:
    """The losses of an order with `reported` added: by id, a refund keeps its largest
    amount (Stripe reports a charge's refunds as a running total), and a dispute's outcome
    (won or lost) is never undone by an earlier report arriving late."""
    merged = {loss.id: loss for loss in held}
    for loss in reported:
        known = merged.get(loss.id)
        if known is None or _newer(loss, known):
            merged[loss.id] = loss
    return tuple(sorted(merged.values(), key=lambda loss: loss.id))


def lost_share(conversion: Conversion, losses: tuple[Loss, ...]) -> LostShare:
    """The part of the order lost with `losses`, whether it is lost for good, and why it
    changed from the losses the conversion holds."""
    share, whole = _share(conversion.amount, losses)
    before, _ = _share(conversion.amount, conversion.losses)
    refunds_grew = _refunded(losses) > _refunded(conversion.losses)
    reason = REFUNDED if refunds_grew or whole else DISPUTED if share > before else DISPUTE_WON
    state = hashlib.sha256(losses_to_text(losses).encode()).hexdigest()[:16]
    return LostShare(share, whole, reason, state)


def _share(amount: Decimal, losses: tuple[Loss, ...]) -> tuple[Decimal, bool]:
    gone = sum((loss.amount for loss in losses if loss.counts), Decimal(0))
    final = sum((loss.amount for loss in losses if loss.final), Decimal(0))
    if amount <= 0:  # a signup, or a free order: any loss is all of it
        counted = any(loss.counts for loss in losses)
        return Decimal(int(counted)), any(loss.final for loss in losses)
    return min(Decimal(1), gone / amount).quantize(Decimal("0.0001")), final >= amount


def _refunded(losses: tuple[Loss, ...]) -> Decimal:
    return sum((loss.amount for loss in losses if loss.kind == REFUND), Decimal(0))


def _newer(loss: Loss, known: Loss) -> bool:
    if loss.kind == REFUND:
        return loss.amount > known.amount
    settled = not known.counts or known.final
    return not settled and (loss.status, loss.amount) != (known.status, known.amount)


def _messages(
    program: Program,
    before: Conversion,
    after: Conversion,
    changes: list[RewardChange],
    now: float,
) -> tuple[OutboxMessage, ...]:
    """reward.voided for each reward voided or clawed back, reward.issued for each
    adjustment, and conversion.refunded when the order stops counting."""
    messages: tuple[OutboxMessage, ...] = ()
    for change in changes:
        reward = change.reward
        if change.before == NEW_REWARD:
            messages += reward_messages(program, reward, now, issued=True, email=False)
        elif reward.status in (VOID, CLAWBACK) and change.before != reward.status:
            messages += voided_messages(program, reward, now)
    if after.status == REFUNDED and before.status == RECORDED:
        messages += webhook_messages(
            program,
            "conversion.refunded",
            (after.event, after.order_id),
            conversion_view(after),
            now,
        )
    return messages
