"""Referrer and conversion items in the low-level client's format: written by DynamoStore,
read back by it, by the review queue (whose copies share the conversion's attributes) and
from stream records' images (store/stream.py)."""

from __future__ import annotations

from decimal import Decimal

from ..model.clock import iso
from ..model.ledger import credits_from_text, credits_to_text, rewards_from_text, rewards_to_text
from ..model.records import Conversion, Referrer
from . import keys
from .attrs import Item, n, s

_OPTIONAL_TEXT = ("customer", "identity", "decided_by", "decision_note", "channel", "page", "model")


def referrer_item(referrer: Referrer) -> Item:
    return {
        "code": s(referrer.code),
        "program": s(referrer.program),
        "email_key": s(referrer.email_key),
        "email": s(referrer.email),
        "name": s(referrer.name),
        "created_at": n(referrer.created_at),
        "token_version": n(referrer.token_version),
        **{
            name: s(getattr(referrer, name))
            for name in ("identity", "visitor")
            if getattr(referrer, name)
        },
    }


def referrer_from_item(item: Item) -> Referrer:
    return Referrer(
        code=item["code"]["S"],
        program=item["program"]["S"],
        email_key=item.get("email_key", {}).get("S", ""),
        email=item.get("email", {}).get("S", ""),
        name=item.get("name", {}).get("S", ""),
        created_at=float(item["created_at"]["N"]),
        token_version=int(item["token_version"]["N"]),
        successful_referrals=int(item.get("successful_referrals", {}).get("N", 0)),
        email_opt_out=item.get("email_opt_out", {}).get("BOOL", False),
        identity=item.get("identity", {}).get("S", ""),
        visitor=item.get("visitor", {}).get("S", ""),
    )


def conversion_item(conversion: Conversion) -> Item:
    item: Item = {
        "GSI1PK": s(keys.program_conversions_gsi(conversion.program)),
        "GSI1SK": s(f"{iso(conversion.created_at)}#{conversion.event}#{conversion.order_id}"),
        "program": s(conversion.program),
        "event": s(conversion.event),
        "order_id": s(conversion.order_id),
        "code": s(conversion.code),
        "created_at": n(conversion.created_at),
        "amount": n(conversion.amount),
        "currency": s(conversion.currency),
        "click_id": s(conversion.click_id),
        "visitor": s(conversion.visitor),
        "successful": {"BOOL": conversion.successful},
        "credits": s(credits_to_text(conversion.credits)),
        "rewards": s(rewards_to_text(conversion.rewards)),
        "notes": {"L": [s(note) for note in conversion.notes]},
        "status": s(conversion.status),
        "refunded_at": n(conversion.refunded_at),
    }
    if conversion.flags:
        item["flags"] = {"L": [s(flag) for flag in conversion.flags]}
    for name in _OPTIONAL_TEXT:
        if getattr(conversion, name):
            item[name] = s(getattr(conversion, name))
    for name in ("decided_at", "customer_first_at", "customer_seq"):
        if getattr(conversion, name):
            item[name] = n(getattr(conversion, name))
    return item


def conversion_from_item(item: Item) -> Conversion:
    def text(name: str) -> str:
        return str(item.get(name, {}).get("S", ""))

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
        successful=item.get("successful", {}).get("BOOL", False),
        credits=credits_from_text(text("credits")),
        rewards=rewards_from_text(text("rewards")),
        notes=tuple(note["S"] for note in item.get("notes", {}).get("L", [])),
        status=text("status") or "recorded",
        refunded_at=float(item.get("refunded_at", {}).get("N", 0)),
        flags=tuple(flag["S"] for flag in item.get("flags", {}).get("L", [])),
        customer=text("customer"),
        identity=text("identity"),
        decided_by=text("decided_by"),
        decided_at=float(item.get("decided_at", {}).get("N", 0)),
        decision_note=text("decision_note"),
        channel=text("channel"),
        page=text("page"),
        model=text("model"),
        customer_first_at=float(item.get("customer_first_at", {}).get("N", 0)),
        customer_seq=int(item.get("customer_seq", {}).get("N", 0)),
    )
