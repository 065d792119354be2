"""Referrer, conversion and reward items in the low-level client's format: written by the
DynamoDB twin, read back by it, and read from stream records' images (store/stream.py).

Rewards are kept whole as JSON in a `data` attribute; the attributes that conditions and
indexes need (status, GSI keys) sit next to it. A review-queue entry is a copy of its
conversion's attributes, so listing the queue is one query.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..model.ledger import (
    RewardRecord,
    credits_from_text,
    credits_to_text,
    rewards_from_text,
    rewards_to_text,
)
from ..model.losses import losses_from_text, losses_to_text
from ..model.records import RECORDED, Conversion, Referrer
from . import keys, rules
from .attrs import Item, b, boolean, integer, n, number, s, text, text_list, texts

_OPTIONAL_TEXT = (
    "customer",
    "identity",
    "decided_by",
    "decision_note",
    "channel",
    "page",
    "model",
    "source",
    "confirmed_by",
    "discount_code",
)
_OPTIONAL_NUMBERS = ("decided_at", "customer_first_at", "customer_seq", "confirmed_at")


def referrer_item(referrer: Referrer) -> Item:
    """A referrer's code item: listed in its program (GSI1) and ranked by its successful
    referrals (GSI2)."""
    return {
        **keys.key(keys.code_pk(referrer.code), keys.META),
        **keys.gsi1(keys.program_referrers_gsi(referrer.program), rules.referrer_order(referrer)),
        "GSI2PK": s(keys.program_board_gsi(referrer.program)),
        keys.SUCCESS_COUNT: n(referrer.successful_referrals),
        **_referrer_attributes(referrer),
    }


def email_index_item(referrer: Referrer) -> Item:
    """The copy of a referrer, made when they join, under their (hashed) email."""
    return {
        **keys.key(keys.email_pk(referrer.program, referrer.email_key), keys.META),
        **_referrer_attributes(referrer),
    }


def referrer_from_item(item: Item) -> Referrer:
    return Referrer(
        code=item["code"]["S"],
        program=item["program"]["S"],
        email_key=text(item, "email_key"),
        email=text(item, "email"),
        name=text(item, "name"),
        created_at=float(item["created_at"]["N"]),
        token_version=int(item["token_version"]["N"]),
        successful_referrals=integer(item, keys.SUCCESS_COUNT),
        email_opt_out=boolean(item, "email_opt_out"),
        identity=text(item, "identity"),
        visitor=text(item, "visitor"),
    )


def conversion_item(conversion: Conversion) -> Item:
    """A conversion's order item, listed in its program (GSI1)."""
    order = keys.order_pk(conversion.program, conversion.event, conversion.order_id)
    return {
        **keys.key(order, keys.META),
        **keys.gsi1(
            keys.program_conversions_gsi(conversion.program), rules.conversion_order(conversion)
        ),
        **conversion_attributes(conversion),
    }


def queue_item(conversion: Conversion) -> Item:
    """A flagged conversion's entry in its program's review queue, under its status."""
    return {
        **keys.key(keys.review_pk(conversion.program), rules.review_order(conversion)),
        **conversion_attributes(conversion),
    }


def conversion_attributes(conversion: Conversion) -> Item:
    item: Item = {
        "program": s(conversion.program),
        "event": s(conversion.event),
        "order_id": s(conversion.order_id),
        "code": s(conversion.code),
        "created_at": n(conversion.created_at),
        "amount": n(conversion.amount),
        "currency": s(conversion.currency),
        "click_id": s(conversion.click_id),
        "visitor": s(conversion.visitor),
        "successful": b(conversion.successful),
        "credits": s(credits_to_text(conversion.credits)),
        "rewards": s(rewards_to_text(conversion.rewards)),
        "notes": texts(conversion.notes),
        "status": s(conversion.status),
        "refunded_at": n(conversion.refunded_at),
    }
    if conversion.flags:
        item["flags"] = texts(conversion.flags)
    if conversion.unverified:
        item["unverified"] = b(True)
    if conversion.losses:
        item["losses"] = s(losses_to_text(conversion.losses))
    for name in _OPTIONAL_TEXT:
        if getattr(conversion, name):
            item[name] = s(getattr(conversion, name))
    for name in _OPTIONAL_NUMBERS:
        if getattr(conversion, name):
            item[name] = n(getattr(conversion, name))
    return item


def conversion_from_item(item: Item) -> Conversion:
    return Conversion(
        program=item["program"]["S"],
        event=item["event"]["S"],
        order_id=item["order_id"]["S"],
        code=item["code"]["S"],
        created_at=float(item["created_at"]["N"]),
        amount=Decimal(item["amount"]["N"]),
        currency=item["currency"]["S"],
        click_id=item["click_id"]["S"],
        visitor=item["visitor"]["S"],
        successful=boolean(item, "successful"),
        credits=credits_from_text(text(item, "credits")),
        rewards=rewards_from_text(text(item, "rewards")),
        notes=text_list(item, "notes"),
        status=text(item, "status") or RECORDED,
        refunded_at=number(item, "refunded_at"),
        flags=text_list(item, "flags"),
        customer=text(item, "customer"),
        identity=text(item, "identity"),
        decided_by=text(item, "decided_by"),
        decided_at=number(item, "decided_at"),
        decision_note=text(item, "decision_note"),
        channel=text(item, "channel"),
        page=text(item, "page"),
        model=text(item, "model"),
        customer_first_at=number(item, "customer_first_at"),
        customer_seq=integer(item, "customer_seq"),
        source=text(item, "source"),
        unverified=boolean(item, "unverified"),
        confirmed_by=text(item, "confirmed_by"),
        confirmed_at=number(item, "confirmed_at"),
        discount_code=text(item, "discount_code"),
        losses=losses_from_text(text(item, "losses")),
    )


def reward_item(reward: RewardRecord) -> Item:
    """A reward under its referrer's code, listed by program and status (GSI1)."""
    return {
        **keys.key(keys.code_pk(reward.code), keys.reward_sk(reward.reward_id)),
        **keys.gsi1(
            keys.program_rewards_gsi(reward.program, reward.status), rules.reward_order(reward)
        ),
        "program": s(reward.program),
        "status": s(reward.status),
        "data": s(json.dumps(reward.to_json(), separators=(",", ":"))),
    }


def reward_from_item(item: Item) -> RewardRecord:
    return RewardRecord.from_json(json.loads(item["data"]["S"]))


def _referrer_attributes(referrer: Referrer) -> Item:
    item: Item = {
        "code": s(referrer.code),
        "program": s(referrer.program),
        "email_key": s(referrer.email_key),
        "email": s(referrer.email),
        "name": s(referrer.name),
        "created_at": n(referrer.created_at),
        "token_version": n(referrer.token_version),
    }
    for name in ("identity", "visitor"):
        if getattr(referrer, name):
            item[name] = s(getattr(referrer, name))
    return item


VISIT_WINDOW = "unique_window"  # a visit item's attribute: the click's unique window, seconds


def visit_state(item: Item) -> tuple[float | None, list[float]]:
    """(anchor, touches) of a visit item; items from before touchpoints were kept have only
    `seen_at`, the last unique click, which is the anchor."""
    touches = [float(value["N"]) for value in item.get("touches", {}).get("L", [])]
    raw = (item.get("anchor") or item.get("seen_at") or {}).get("N")
    return (float(raw) if raw is not None else None), touches
