"""The work a scheduler runs every minute: approve rewards whose hold has ended, then deliver
what the outbox holds (the approvals' own events included)."""

from __future__ import annotations

from dataclasses import dataclass

from ...model.statuses import DELIVERED
from ..context import Context, Links
from ..rewards.approvals import approve_due_rewards
from .dispatch import Outbound, dispatch_due


@dataclass(frozen=True)
class DueWork:
    approved: int
    delivered: int
    attempts: int


def run_due_work(ctx: Context, outbound: Outbound, links: Links) -> DueWork:
    approved = approve_due_rewards(ctx)
    attempts = dispatch_due(ctx, outbound, links)
    delivered = sum(1 for attempt in attempts if attempt.outcome == DELIVERED)
    return DueWork(approved=approved, delivered=delivered, attempts=len(attempts))
