"""The lines the commands print for the admin API's lists: rewards, webhook deliveries and
the review queue, one item a line."""

from __future__ import annotations

from typing import Any


def reward_lines(rewards: list[dict[str, Any]]) -> list[str]:
    return [_reward_line(reward) for reward in rewards]


def log_lines(deliveries: list[dict[str, Any]]) -> list[str]:
    return [_delivery_line(delivery) for delivery in deliveries]


def review_lines(reviews: list[dict[str, Any]]) -> list[str]:
    return [_review_line(item) for item in reviews]


def _reward_line(reward: dict[str, Any]) -> str:
    value = reward.get("coupon") or _value(reward)
    why = f"  ({reward['reason']})" if reward.get("reason") else ""
    when = f"  until {reward['approve_at']}" if reward.get("approve_at") else ""
    ref = reward.get("ref", "")
    return (
        f"{reward['id']}  {reward['status']:<8}  {reward['side']:<8}  {ref:<10}"
        f"  {reward['text']}  {value}{when}{why}".rstrip()
    )


def _delivery_line(line: dict[str, Any]) -> str:
    status = f"HTTP {line['http_status']}" if line.get("http_status") else ""
    detail = status or (line.get("error") or "")
    later = f"  next {line['next_attempt_at']}" if line.get("next_attempt_at") else ""
    return (
        f"{line['at']}  {line['event']:<21}  {line['target']:<21}  #{line['attempt']:<2}  "
        f"{line['outcome']:<9}  {detail}{later}".rstrip()
    )


def _review_line(item: dict[str, Any]) -> str:
    amount = f"{item['amount']} {item['currency']}" if item.get("currency") else ""
    decided = ""
    if item.get("decided_by"):
        decided = f"  {item['decided_by']}: {item.get('decision_note', '')}".rstrip()
    return (
        f"{item['id']}  {item['status']:<8}  {item['ref']:<10}  {item['created_at']}  "
        f"{amount:<12}  {', '.join(item.get('flags', []))}{decided}"
    )


def _value(reward: dict[str, Any]) -> str:
    if "amount" in reward:
        return f"{reward['amount']} {reward['currency']}"
    if "points" in reward:
        return f"{reward['points']} points"
    if "percent" in reward:
        return f"{reward['percent']}%"
    return ""
