"""Programs with rewards, tiers and notifications for the incentive tests, and helpers."""

from __future__ import annotations

import copy
from typing import Any

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.conversions.flow import attribute_conversion
from chalicelib.domain.conversions.input import parse_conversion
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.model.records import Conversion, Referrer

from .common import NOW, SECRET

WEBHOOK_SECRET = "whsec_test_0123456789abcdef"

BEANS: dict[str, Any] = {
    "id": "beans",
    "name": "Bean There",
    "landing_url": "https://beans.example/",
    "currency": "USD",
    "rewards": {
        "hold_days": 14,
        "referrer": {"text": "$10 credit", "kind": "credit", "amount": 10},
        "friend": {"text": "A welcome coupon", "kind": "coupon", "pool": "welcome"},
        "tiers": [
            {
                "name": "Silver",
                "at": 3,
                "badge": "silver",
                "reward": {"text": "$20 bonus", "kind": "credit", "amount": 20},
            },
            {
                "name": "Gold",
                "at": 5,
                "badge": "gold",
                "reward": {"text": "500 points", "kind": "points", "points": 500},
            },
        ],
    },
    "emails": {"from": "Bean There <rewards@beans.example>"},
}

TEAS: dict[str, Any] = {
    "id": "teas",
    "name": "Tea Time",
    "landing_url": "https://teas.example/",
    "currency": "EUR",
    "attribution_model": "linear",
    "rewards": {
        "referrer": {"text": "EUR 5", "kind": "credit", "amount": 5},
        "friend": {"text": "10% back", "kind": "percent", "percent": 10, "event": "purchase"},
    },
    "emails": {"from": "Tea Time <rewards@teas.example>"},
}


def incentive_document(*programs: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """BEANS and TEAS (or the given programs); `changes` update BEANS's fields."""
    chosen = [copy.deepcopy(p) for p in (programs or (BEANS, TEAS))]
    for key, value in changes.items():
        target = (
            chosen[0]["rewards"]
            if key in ("hold_days", "tiers", "limits", "referrer", "friend")
            else chosen[0]
        )
        target[key] = value
    return {"programs": chosen}


def context_for(store: Any, document: dict[str, Any], clock: FixedClock | None = None) -> Context:
    return Context(store, parse_programs(document), Signer(SECRET), clock or FixedClock(NOW))


def add_referrer(ctx: Context, code: str = "abc2345", program: str = "beans") -> Referrer:
    referrer = Referrer(code, program, f"key-{code}", f"{code}@example.com", "Jane Doe", NOW)
    ctx.store.referrers.create_referrer(referrer)
    return referrer


def convert(
    ctx: Context, program: str = "beans", *, visitor: str = "", **data: Any
) -> tuple[Conversion, bool]:
    found = ctx.catalogue.get(program)
    data.setdefault("event", "purchase")
    if data["event"] == "purchase":
        data.setdefault("amount", 40)
    request = parse_conversion(ctx, found, data, referral_optional=bool(visitor))
    return attribute_conversion(ctx, found, request, visitor=visitor)


def purchase(ctx: Context, order_id: str, code: str = "abc2345", **data: Any) -> Conversion:
    conversion, _ = convert(ctx, order_id=order_id, ref=code, **data)
    return conversion


def sides(conversion: Conversion) -> dict[str, str]:
    return {reward.side: reward.status for reward in conversion.rewards}
