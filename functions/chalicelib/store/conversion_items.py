"""Conversion items in DynamoDB's format: the conversion itself (`ORDER#...`) and its copies in
the review queue share these attributes."""

from __future__ import annotations

from decimal import Decimal

from ..domain.clock import iso
from . import keys
from .attrs import Item, n, s
from .ledger import credits_from_text, credits_to_text, rewards_from_text, rewards_to_text
from .records import Conversion


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
    for name in ("customer", "identity", "decided_by", "decision_note"):
        if getattr(conversion, name):
            item[name] = s(getattr(conversion, name))
    if conversion.decided_at:
        item["decided_at"] = n(conversion.decided_at)
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
        successful=item.get("successful", {}).get("BOOL", False),
        credits=credits_from_text(item.get("credits", {}).get("S", "")),
        rewards=rewards_from_text(item.get("rewards", {}).get("S", "")),
        notes=tuple(note["S"] for note in item.get("notes", {}).get("L", [])),
        status=item.get("status", {}).get("S", "recorded"),
        refunded_at=float(item.get("refunded_at", {}).get("N", 0)),
        flags=tuple(flag["S"] for flag in item.get("flags", {}).get("L", [])),
        customer=item.get("customer", {}).get("S", ""),
        identity=item.get("identity", {}).get("S", ""),
        decided_by=item.get("decided_by", {}).get("S", ""),
        decided_at=float(item.get("decided_at", {}).get("N", 0)),
        decision_note=item.get("decision_note", {}).get("S", ""),
    )
