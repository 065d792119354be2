"""Events for the outbox: one message per subscribed webhook endpoint, and reward emails.

Messages are written in the same transaction as the change they announce, so an event is
enqueued exactly when (and only if) its change happens; the dispatcher delivers them later,
off the request path. Event ids are derived from the event's type and subject, so a receiver
can use them to drop duplicates (delivery is at least once).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ...model.clock import iso
from ...model.incentives import Tier
from ...model.ledger import EMAIL_TARGET, OutboxMessage, RewardRecord
from ...model.program import Program
from ...model.statuses import APPROVED
from .views import describe, reward_view

REWARD_EARNED = "reward_earned"
EARNED_BY_REFERRER = ("referrer", "recurring")  # the sides whose rewards the referrer is told of
TIER_REACHED = "tier_reached"


def event_id(program: str, event_type: str, *subject: str) -> str:
    digest = hashlib.sha256("\n".join((program, event_type, *subject)).encode()).hexdigest()
    return f"ev_{digest[:24]}"


def webhook_messages(
    program: Program, event_type: str, subject: tuple[str, ...], data: dict[str, Any], now: float
) -> tuple[OutboxMessage, ...]:
    hooks = program.incentives.webhooks_for(event_type)
    if not hooks:
        return ()
    eid = event_id(program.id, event_type, *subject)
    body = json.dumps(
        {
            "id": eid,
            "type": event_type,
            "created_at": iso(now),
            "program": program.id,
            "data": data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return tuple(
        OutboxMessage(eid, f"webhook:{hook.id}", program.id, event_type, body, now, now)
        for hook in hooks
    )


def reward_messages(
    program: Program, reward: RewardRecord, now: float, *, issued: bool, email: bool
) -> tuple[OutboxMessage, ...]:
    """reward.issued (when `issued`), reward.approved (when it is approved), and, when
    `email`, the referrer's email (sent once: when the reward is issued, or when a coupon
    reward that was waiting for the pool gets its code)."""
    view = reward_view(reward)
    messages: tuple[OutboxMessage, ...] = ()
    if issued:
        messages += webhook_messages(program, "reward.issued", (reward.reward_id,), view, now)
    if reward.status == APPROVED:
        messages += webhook_messages(program, "reward.approved", (reward.reward_id,), view, now)
    if email and reward.side in EARNED_BY_REFERRER and not reward.reason:
        merge = {"reward": describe(reward)}
        messages += email_messages(
            program, REWARD_EARNED, reward.code, (reward.reward_id,), merge, now
        )
    return messages


def voided_messages(
    program: Program, reward: RewardRecord, now: float
) -> tuple[OutboxMessage, ...]:
    return webhook_messages(program, "reward.voided", (reward.reward_id,), reward_view(reward), now)


def tier_messages(
    program: Program, tier: Tier, code: str, bonus: RewardRecord, now: float
) -> tuple[OutboxMessage, ...]:
    data = {
        "ref": code,
        "tier": {"name": tier.name, "at": tier.at, "badge": tier.badge},
        "reward": reward_view(bonus),
    }
    subject = (code, str(tier.at))
    merge = {"reward": describe(bonus), "tier": tier.name, "badge": tier.badge}
    return webhook_messages(program, "referrer.tier_reached", subject, data, now) + (
        email_messages(program, TIER_REACHED, code, subject, merge, now)
    )


def email_messages(
    program: Program,
    template: str,
    code: str,
    subject: tuple[str, ...],
    merge: dict[str, str],
    now: float,
) -> tuple[OutboxMessage, ...]:
    """An email to the referrer of `code`. The merge fields known now travel with it; the
    referrer's name and links, and their opt-out, are read when it is sent."""
    if program.incentives.emails is None:
        return ()
    eid = event_id(program.id, f"email.{template}", *subject)
    body = json.dumps({"template": template, "merge": merge}, separators=(",", ":"))
    return (OutboxMessage(eid, EMAIL_TARGET, program.id, template, body, now, now, code=code),)
