"""Shopify webhook bodies in the shape Shopify sends them (the REST Admin API's order and
refund), with the fields referbee reads filled in. The topic and the webhook's id travel in
headers (delivery.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


@dataclass
class ShopOrder:
    amount: Decimal
    currency: str = "USD"
    discount_code: str = ""
    landing_site: str = "/"
    note_attributes: dict[str, str] = field(default_factory=dict)
    email: str = "friend@example.com"
    order_id: int = field(default_factory=lambda: new_number())
    customer_id: int = field(default_factory=lambda: new_number())


def new_number() -> int:
    return 5_000_000_000_000 + secrets.randbelow(999_999_999_999)


def order(shop_order: ShopOrder) -> dict[str, Any]:
    now = _now()
    price = f"{shop_order.amount:.2f}"
    codes = (
        [{"code": shop_order.discount_code, "amount": "0.00", "type": "percentage"}]
        if shop_order.discount_code
        else []
    )
    return {
        "id": shop_order.order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{shop_order.order_id}",
        "name": f"#{shop_order.order_id % 100000}",
        "email": shop_order.email,
        "contact_email": shop_order.email,
        "created_at": now,
        "processed_at": now,
        "currency": shop_order.currency,
        "presentment_currency": shop_order.currency,
        "current_total_price": price,
        "subtotal_price": price,
        "total_price": price,
        "total_discounts": "0.00",
        "total_tax": "0.00",
        "financial_status": "paid",
        "fulfillment_status": None,
        "discount_codes": codes,
        "note_attributes": [
            {"name": name, "value": value} for name, value in shop_order.note_attributes.items()
        ],
        "landing_site": shop_order.landing_site,
        "referring_site": "",
        "source_name": "web",
        "test": True,
        "customer": {
            "id": shop_order.customer_id,
            "email": shop_order.email,
            "first_name": "Sam",
            "last_name": "Friend",
            "state": "enabled",
            "verified_email": True,
        },
        "line_items": [],
    }


def refund(shop_order: ShopOrder, amount: Decimal, refund_id: int = 0) -> dict[str, Any]:
    refund_id = refund_id or new_number()
    return {
        "id": refund_id,
        "admin_graphql_api_id": f"gid://shopify/Refund/{refund_id}",
        "order_id": shop_order.order_id,
        "created_at": _now(),
        "processed_at": _now(),
        "note": "Refund",
        "restock": False,
        "refund_line_items": [],
        "transactions": [
            {
                "id": new_number(),
                "order_id": shop_order.order_id,
                "kind": "refund",
                "gateway": "shopify_payments",
                "status": "success",
                "amount": f"{amount:.2f}",
                "currency": shop_order.currency,
                "test": True,
            }
        ],
    }


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
