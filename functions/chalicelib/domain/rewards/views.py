"""How a reward is shown: to the API, the stats page and webhooks (`reward_view`), and in
words for an email (`describe`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...model.clock import iso
from ...model.ledger import NEVER, RewardRecord
from ...model.statuses import PENDING


def reward_view(reward: RewardRecord) -> dict[str, Any]:
    """A reward as the API, the stats page and webhooks show it."""
    view: dict[str, Any] = {
        "id": reward.reward_id,
        "side": reward.side,
        "kind": reward.kind,
        "text": reward.text,
        "status": reward.status,
        "created_at": iso(reward.created_at),
    }
    if reward.status == PENDING and reward.approve_at < NEVER:
        view["approve_at"] = iso(reward.approve_at)
    if reward.reason:
        view["reason"] = reward.reason
    if reward.amount is not None:
        view["amount"] = _number(reward.amount)
        view["currency"] = reward.currency
    if reward.percent is not None:
        view["percent"] = _number(reward.percent)
    if reward.points is not None:
        view["points"] = reward.points
    if reward.coupon:
        view["coupon"] = reward.coupon
    if reward.order_id:
        view["order_id"] = reward.order_id
    if reward.tier_at:
        view["tier_at"] = reward.tier_at
    if reward.adjusts:
        view["adjusts"] = reward.adjusts
    elif reward.gross is not None and reward.gross != reward.amount:
        view["gross"] = _number(reward.gross)  # before a refund took part of it back
    return view


def describe(reward: RewardRecord) -> str:
    """The reward in words for an email: its text, and the coupon code when there is one."""
    words = reward.text or reward.kind
    if reward.coupon:
        words += f" (your code: {reward.coupon})"
    return words


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)
