"""`orders/paid`: a Shopify order, paid. Its referral is a note attribute (`referbee`,
`click` or `ref`: set by the shop's theme from the widget's saved referral) or the `click` and
`ref` of the URL the customer landed on, else a discount code that is a referrer's personal
code, else the customer's referrer on record. The order id is Shopify's (the same the order
status page can report as `order_id`)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ....model.currencies import CURRENCIES
from ....model.program import Program
from ...context import Context
from ..events import IGNORED, Handled, ProviderEvent, mapping
from ..purchases import Purchase, record_purchase

NOTE_NAMES = ("referbee", "click", "ref")


def order_paid(ctx: Context, program: Program, event: ProviderEvent) -> Handled:
    order = event.obj
    currency = str(order.get("currency") or "").upper()
    amount = money(order.get("total_price"))
    order_id = order.get("id")
    if currency not in CURRENCIES or amount is None or not isinstance(order_id, int):
        return Handled(IGNORED, "the order has no id, total or known currency")
    customer = mapping(order.get("customer"))
    email = order.get("email") or customer.get("email") or ""
    customer_id = customer.get("id")
    purchase = Purchase(
        provider="shopify",
        order_id=str(order_id),
        amount=amount,
        currency=currency,
        customer_id=f"shopify:{customer_id}" if customer_id else str(email).lower(),
        email=str(email),
        references=references(order),
        discount_codes=tuple(
            str(mapping(code).get("code") or "") for code in order.get("discount_codes") or []
        ),
    )
    return record_purchase(ctx, program, purchase)


def references(order: Mapping[str, Any]) -> tuple[object, ...]:
    """The referrals an order carried, the most trusted first: note attributes, then the
    landing URL's `click` and `ref`."""
    notes = {
        str(mapping(note).get("name")): mapping(note).get("value")
        for note in order.get("note_attributes") or []
    }
    landing = order.get("landing_site")
    query = parse_qs(urlsplit(landing).query) if isinstance(landing, str) else {}
    found: list[object] = [notes.get(name) for name in NOTE_NAMES]
    found += [query.get(name, [None])[0] for name in ("click", "ref")]
    return tuple(value for value in found if value)


def money(raw: Any) -> Decimal | None:
    """Shopify's amounts are decimal strings in the shop's currency ("49.00")."""
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None
