"""What refunds and disputes do to an order's rewards, in proportion to the money lost.

`share` is the part of the order lost now: refunds, and disputes the shop has not won. It is a
target, not a step, so applying the same losses twice, or in another order, ends the same:

- an unpaid reward (pending or approved) keeps its part of the amount it was issued with
  (`gross` x (1 - share)); a reward without an amount (points, a coupon) stays whole;
- when the whole order is lost, unpaid rewards are voided (`refunded`; `disputed` while a
  dispute is open, and restored if the shop wins it);
- a reward already paid out is not skipped: the change in its lost part becomes an
  adjustment, a reward of its own with a negative amount (positive when a won dispute gives
  it back), approved, so it is netted against the referrer's next payout; a paid reward whose
  order is refunded in full is marked `clawback`;
- tier bonuses stay (docs/rewards.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ...model.currencies import minor_digits
from ...model.ledger import NEW_REWARD, RewardChange, RewardRecord
from ...model.statuses import APPROVED, CLAWBACK, PAID, PENDING, REFUNDED, VOID
from .grants import reward_id

DISPUTED = "disputed"
DISPUTE_WON = "dispute_won"
NETTED_SIDES = ("referrer", "recurring")  # paid to the referrer: netted in their next payout
_UNPAID = (PENDING, APPROVED)


@dataclass(frozen=True)
class LostShare:
    """How much of an order is lost, and why (`reason`: refunded, disputed, dispute_won);
    `final`: refunds and lost disputes cover all of it. `state` names these losses, so an
    adjustment made for them has one id however often they are applied."""

    share: Decimal
    final: bool
    reason: str
    state: str


def settle_rewards(
    rewards: list[RewardRecord], lost: LostShare, now: float
) -> tuple[list[RewardChange], list[RewardRecord]]:
    """The moves that bring `rewards` (as stored) to `lost`, adjustments included, and the
    rewards as they will be."""
    changes: list[RewardChange] = []
    after: list[RewardRecord] = []
    for reward in rewards:
        moved, adjustment = _settled(reward, lost, now)
        if moved != reward:
            changes.append(RewardChange(moved, reward.status))
        if adjustment is not None:
            changes.append(RewardChange(adjustment, NEW_REWARD))
        after.append(moved)
    return changes, after


def _settled(
    reward: RewardRecord, lost: LostShare, now: float
) -> tuple[RewardRecord, RewardRecord | None]:
    if reward.side == "tier" or reward.adjusts or reward.status == CLAWBACK:
        return reward, None
    if reward.status == PAID:
        return _paid(reward, lost, now)
    restorable = reward.status == VOID and reward.reason == DISPUTED
    if reward.status not in _UNPAID and not restorable:
        return reward, None  # voided for another reason: nothing to give back
    gross = _gross(reward)
    if lost.share >= 1:
        reason = REFUNDED if lost.final else DISPUTED
        voided = replace(reward, status=VOID, reason=reason, share_lost=lost.share)
        return _touched(reward, voided, now), None
    status = reward.status
    if restorable:
        status = APPROVED if reward.approve_at <= now else PENDING
    amount = _part(gross, 1 - lost.share, reward.currency) if gross is not None else None
    kept = replace(
        reward,
        status=status,
        reason="" if restorable else reward.reason,
        amount=amount,
        gross=gross if lost.share else reward.gross,
        share_lost=lost.share,
    )
    return _touched(reward, kept, now), None


def _paid(
    reward: RewardRecord, lost: LostShare, now: float
) -> tuple[RewardRecord, RewardRecord | None]:
    """A paid reward keeps what it was paid; the change in its lost part is an adjustment."""
    whole = lost.final and lost.share >= 1
    moved = replace(reward, status=CLAWBACK if whole else PAID, share_lost=lost.share)
    gross = _gross(reward)
    delta = lost.share - reward.share_lost
    if gross is None or not delta or reward.side not in NETTED_SIDES:
        return _touched(reward, moved, now), None
    amount = -_part(gross, delta, reward.currency)
    if not amount:
        return _touched(reward, moved, now), None
    adjustment = replace(
        reward,
        reward_id=reward_id(
            reward.code, reward.program, "adjustment", reward.reward_id, lost.state
        ),
        status=APPROVED,
        reason=lost.reason,
        amount=amount,
        percent=None,
        coupon="",
        pool="",
        created_at=now,
        approve_at=now,
        updated_at=now,
        gross=None,
        share_lost=Decimal(0),
        adjusts=reward.reward_id,
    )
    return _touched(reward, moved, now), adjustment


def _gross(reward: RewardRecord) -> Decimal | None:
    """What the reward was issued with, before any part of it was taken back."""
    return reward.gross if reward.gross is not None else reward.amount


def _part(gross: Decimal, share: Decimal, currency: str) -> Decimal:
    step = Decimal(1).scaleb(-minor_digits(currency)) if currency else Decimal(1)
    return (gross * share).quantize(step, rounding=ROUND_HALF_UP)


def _touched(before: RewardRecord, after: RewardRecord, now: float) -> RewardRecord:
    return after if after == before else replace(after, updated_at=now)
