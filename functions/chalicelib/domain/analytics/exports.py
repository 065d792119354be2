"""Listings a marketer downloads: referrers, conversions and rewards, as rows (JSON) or CSV,
a page at a time. The rewards export is the payout list: who is owed what, and the reward id
to mark paid once it is.

Each page is one Query (the rewards page adds one BatchGetItem for the referrers' names and
emails); the next page starts from a signed cursor, so a client can hand it back but not
point a listing anywhere else.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...model.clock import iso
from ...model.errors import InvalidInputError
from ...model.ledger import NEVER, RewardRecord
from ...model.program import Program
from ...model.records import Conversion, Referrer, credits_of
from ...model.statuses import REWARD_STATUSES
from ..context import Context
from .kpis import number
from .periods import Period

EXPORTS = ("referrers", "conversions", "rewards")
MAX_ROWS = 1000
COLUMNS = {
    "referrers": ("code", "name", "email", "joined_at", "successful_referrals"),
    "conversions": (
        "created_at",
        "event",
        "order_id",
        "ref",
        "amount",
        "currency",
        "status",
        "refunded_at",
        "channel",
        "landing_page",
        "model",
        "credits",
        "customer_purchase",
        "rewards",
    ),
    "rewards": (
        "reward_id",
        "status",
        "side",
        "pay_to",
        "ref",
        "referrer_name",
        "referrer_email",
        "kind",
        "text",
        "amount",
        "currency",
        "percent",
        "points",
        "coupon",
        "order_id",
        "created_at",
        "approve_at",
        "updated_at",
        "reason",
        "payable",
    ),
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportPage:
    kind: str
    rows: list[dict[str, Any]]
    cursor: str | None  # where the next page starts; None after the last

    @property
    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.kind]


def export_page(
    ctx: Context,
    program: Program,
    kind: str,
    *,
    period: Period,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> ExportPage:
    if kind not in EXPORTS:
        raise InvalidInputError(f"Exports are {', '.join(EXPORTS)}; not '{kind[:20]}'.")
    if status is not None and (kind != "rewards" or status not in REWARD_STATUSES):
        raise InvalidInputError(
            f"'status' applies to rewards only: one of {', '.join(REWARD_STATUSES)}."
        )
    position = _read_cursor(ctx, cursor, kind)
    if kind == "referrers":
        page = ctx.store.referrers.list_referrers(program.id, limit, position.get("after"))
        rows = [_referrer_row(r) for r in page.items]
        return ExportPage(kind, rows, _next(ctx, kind, page.after, {}))
    if kind == "conversions":
        found = ctx.store.conversions.list_conversions(
            program.id, period.since, period.until, limit, position.get("after")
        )
        rows = [_conversion_row(c) for c in found.items]
        return ExportPage(kind, rows, _next(ctx, kind, found.after, {}))
    return _rewards_page(ctx, program, status, limit, position)


def to_csv(columns: Sequence[str], rows: list[dict[str, Any]], *, header: bool = True) -> str:
    """CSV for spreadsheets; a text cell that a spreadsheet would run as a formula (a name
    like "=HYPERLINK(...)") is prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def _rewards_page(
    ctx: Context, program: Program, status: str | None, limit: int, position: dict[str, Any]
) -> ExportPage:
    """One status at a time (the order of REWARD_STATUSES), or only `status`."""
    statuses = [status] if status else list(REWARD_STATUSES)
    current = position.get("status", statuses[0])
    if current not in statuses:
        raise InvalidInputError("The cursor is not valid for this listing: start without it.")
    found = ctx.store.rewards.page_rewards(program.id, current, limit, position.get("after"))
    people = ctx.store.referrers.get_referrers([r.code for r in found.items])
    rows = [_reward_row(r, people.get(r.code)) for r in found.items]
    if found.after is not None:
        return ExportPage("rewards", rows, _next(ctx, "rewards", found.after, {"status": current}))
    later = statuses[statuses.index(current) + 1 :]
    cursor = _next(ctx, "rewards", "", {"status": later[0]}) if later else None
    return ExportPage("rewards", rows, cursor)


def _referrer_row(referrer: Referrer) -> dict[str, Any]:
    return {
        "code": referrer.code,
        "name": referrer.name,
        "email": referrer.email,
        "joined_at": iso(referrer.created_at),
        "successful_referrals": referrer.successful_referrals,
    }


def _conversion_row(conversion: Conversion) -> dict[str, Any]:
    credits = credits_of(conversion)
    return {
        "created_at": iso(conversion.created_at),
        "event": conversion.event,
        "order_id": conversion.order_id,
        "ref": conversion.code,
        "amount": number(conversion.amount),
        "currency": conversion.currency,
        "status": conversion.status,
        "refunded_at": iso(conversion.refunded_at) if conversion.refunded_at else "",
        "channel": conversion.channel,
        "landing_page": conversion.page,
        "model": conversion.model,
        "credits": " ".join(f"{c.code}:{number(c.share)}" for c in credits),
        "customer_purchase": conversion.customer_seq or "",
        "rewards": len(conversion.rewards),
    }


def is_payout(reward: RewardRecord) -> bool:
    """Whether someone is to be paid: credit, and a referrer's percent of an order (its amount
    is computed on the order). A friend's percent off is a discount at checkout, a coupon is
    its code and points are a balance: nothing to pay out."""
    return reward.kind == "credit" or (reward.kind == "percent" and reward.side != "friend")


def _reward_row(reward: RewardRecord, referrer: Referrer | None) -> dict[str, Any]:
    payable = is_payout(reward)
    if not payable:
        pay_to = ""
    elif reward.side == "friend":
        pay_to = f"the customer of order {reward.order_id}" if reward.order_id else "the customer"
    else:
        pay_to = referrer.email if referrer else ""
    return {
        "reward_id": reward.reward_id,
        "status": reward.status,
        "side": reward.side,
        "pay_to": pay_to,
        "ref": reward.code,
        "referrer_name": referrer.name if referrer else "",
        "referrer_email": referrer.email if referrer else "",
        "kind": reward.kind,
        "text": reward.text,
        "amount": number(reward.amount) if reward.amount is not None else "",
        "currency": reward.currency,
        "percent": number(reward.percent) if reward.percent is not None else "",
        "points": reward.points if reward.points is not None else "",
        "coupon": reward.coupon,
        "order_id": reward.order_id,
        "created_at": iso(reward.created_at),
        "approve_at": iso(reward.approve_at) if 0 < reward.approve_at < NEVER else "",
        "updated_at": iso(reward.updated_at) if reward.updated_at else "",
        "reason": reward.reason,
        "payable": payable,
    }


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _next(ctx: Context, kind: str, after: str | None, extra: dict[str, str]) -> str | None:
    if after is None:
        return None
    payload = json.dumps({"kind": kind, "after": after or None, **extra}, separators=(",", ":"))
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return ctx.signer.sign_cursor(encoded)


def _read_cursor(ctx: Context, cursor: str | None, kind: str) -> dict[str, Any]:
    if not cursor:
        return {}
    encoded = ctx.signer.read_cursor(cursor) if len(cursor) <= 4096 else None
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)) if encoded else b""
        position = json.loads(raw) if raw else None
    except ValueError:
        position = None
    if not isinstance(position, dict) or position.get("kind") != kind:
        raise InvalidInputError("The cursor is not valid for this listing: start without it.")
    return position
