"""The columns the listing commands show for the admin API's lists (rewards to pay, webhook
deliveries, the review queue, admin keys, coupon pools): a title, where the value comes from
and its unit, so every command shows a unit one way (formats.py) and scripts get the raw
values (--json, --csv)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import formats

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    title: str
    show: Callable[[Row], str]
    numeric: bool = False  # right-aligned


def text(key: str, title: str) -> Column:
    return Column(title, lambda row: str(row.get(key) or ""))


def count(key: str, title: str) -> Column:
    return Column(title, lambda row: formats.count(row.get(key)), numeric=True)


def moment(key: str, title: str) -> Column:
    return Column(title, lambda row: formats.moment(row.get(key)) if row.get(key) else "")


REWARDS = (
    text("reward_id", "Reward"),
    text("status", "Status"),
    text("side", "Side"),
    Column("Pay to", lambda row: pay_to(row)),
    text("text", "Reward text"),
    Column("Value", lambda row: reward_value(row), numeric=True),
    text("ref", "Code"),
    moment("created_at", "Issued"),
    moment("approve_at", "Approved from"),
    text("reason", "Why"),
)
# A reward as a conversion's answer gives it (refunds, review decisions).
ISSUED = (
    text("id", "Reward"),
    text("status", "Status"),
    text("side", "Side"),
    text("text", "Reward text"),
    Column("Value", lambda row: reward_value(row), numeric=True),
    text("reason", "Why"),
)
DELIVERIES = (
    moment("at", "When"),
    text("event", "Event"),
    text("target", "Target"),
    count("attempt", "Attempt"),
    text("outcome", "Outcome"),
    Column("Detail", lambda row: delivery_detail(row)),
    moment("next_attempt_at", "Next attempt"),
)
REVIEWS = (
    text("id", "Conversion"),
    text("status", "Status"),
    text("ref", "Code"),
    moment("created_at", "When"),
    Column(
        "Amount",
        lambda row: formats.money(row["amount"], row["currency"]) if row.get("currency") else "",
        numeric=True,
    ),
    Column("Flags", lambda row: ", ".join(row.get("flags", []))),
    Column("Decision", lambda row: decision(row)),
)
KEYS = (
    text("id", "Key"),
    text("scope", "Scope"),
    Column("State", lambda row: "revoked" if row.get("revoked") else "active"),
    moment("created_at", "Created"),
    moment("revoked_at", "Revoked"),
    Column("Programs", lambda row: ", ".join(row.get("programs", []))),
    text("name", "Name"),
)
POOLS = (
    text("pool", "Pool"),
    count("available", "Available"),
    count("used", "Handed out"),
    count("waiting", "Rewards waiting"),
)


def pay_to(row: Row) -> str:
    """Who is to be paid: the referrer by name and email, the customer of an order, or why
    nobody is (a discount, a coupon, points)."""
    if not row.get("payable"):
        return {
            "percent": "nobody: a discount at checkout",
            "coupon": "nobody: the coupon code",
            "points": "nobody: points",
        }.get(str(row.get("kind")), "nobody")
    if row.get("side") == "friend":
        return str(row.get("pay_to") or "the customer")
    name, email = row.get("referrer_name") or "", row.get("referrer_email") or row.get("pay_to")
    return f"{name} <{email}>" if name and email else str(email or name or "")


def reward_value(row: Row) -> str:
    """The amount to pay first (a referrer's percent is paid as its amount); a friend's
    percent off first as a percentage."""
    if row.get("coupon"):
        return str(row["coupon"])
    has_amount = row.get("amount") not in (None, "") and bool(row.get("currency"))
    has_percent = row.get("percent") not in (None, "")
    if has_amount and has_percent:
        amount = formats.money(row["amount"], row["currency"])
        share = formats.percent(float(row["percent"]) / 100)
        return f"{share} ({amount})" if row.get("side") == "friend" else f"{amount} ({share})"
    if has_amount:
        return formats.money(row["amount"], row["currency"])
    if row.get("points") not in (None, ""):
        return formats.things(int(row["points"]), "point", "points")
    if row.get("percent") not in (None, ""):
        return formats.percent(float(row["percent"]) / 100)
    return ""


def delivery_detail(row: Row) -> str:
    return f"HTTP {row['http_status']}" if row.get("http_status") else str(row.get("error") or "")


def decision(row: Row) -> str:
    if not row.get("decided_by"):
        return ""
    note = row.get("decision_note") or ""
    return f"{row['decided_by']}: {note}" if note else str(row["decided_by"])
