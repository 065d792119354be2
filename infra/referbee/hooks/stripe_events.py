"""Stripe events in the shape Stripe sends them (an `event` wrapping the object, as of the API
version the pinned `stripe` library speaks), with the fields referbee reads filled in and the
rest as a new account's defaults. `referbee hooks send stripe TYPE` builds them."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chalicelib.domain.payments.stripe.money import stripe_minor

API_VERSION = "2026-10-28.endive"


@dataclass
class Order:
    """What a test purchase is: its amount, who paid, and how it names its referrer."""

    amount: Decimal
    currency: str = "USD"
    reference: str = ""  # client_reference_id: a code, or a click id (dots written X)
    customer: str = field(default_factory=lambda: new_id("cus"))
    email: str = "friend@example.com"
    discount_code: str = ""  # a coupon named by the referrer's discount code
    session: str = field(default_factory=lambda: new_id("cs_test"))
    payment_intent: str = field(default_factory=lambda: new_id("pi"))
    charge: str = field(default_factory=lambda: new_id("ch"))
    invoice: str = field(default_factory=lambda: new_id("in"))
    subscription: str = field(default_factory=lambda: new_id("sub"))

    @property
    def minor(self) -> int:
        return stripe_minor(self.amount, self.currency)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def event(event_type: str, obj: dict[str, Any], event_id: str = "") -> dict[str, Any]:
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def checkout_session(order: Order, *, mode: str = "payment", paid: bool = True) -> dict[str, Any]:
    subscription = mode == "subscription"
    return {
        "id": order.session,
        "object": "checkout.session",
        "allow_promotion_codes": bool(order.discount_code),
        "amount_subtotal": order.minor,
        "amount_total": order.minor,
        "client_reference_id": order.reference or None,
        "created": int(time.time()),
        "currency": order.currency.lower(),
        "customer": order.customer,
        "customer_details": {
            "address": None,
            "email": order.email,
            "name": "Sam Friend",
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
        "customer_email": None,
        "discounts": _discounts(order),
        "invoice": order.invoice if subscription else None,
        "livemode": False,
        "metadata": {},
        "mode": mode,
        "payment_intent": None if subscription else order.payment_intent,
        "payment_link": None,
        "payment_method_types": ["card"],
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete",
        "subscription": order.subscription if subscription else None,
        "success_url": "https://shop.example/thanks?session={CHECKOUT_SESSION_ID}",
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": None,
    }


def invoice(order: Order, *, billing_reason: str = "subscription_create") -> dict[str, Any]:
    now = int(time.time())
    return {
        "id": order.invoice,
        "object": "invoice",
        "account_country": "US",
        "amount_due": order.minor,
        "amount_paid": order.minor,
        "amount_remaining": 0,
        "attempt_count": 1,
        "attempted": True,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": now,
        "currency": order.currency.lower(),
        "customer": order.customer,
        "customer_email": order.email,
        "discounts": [],
        "lines": {"object": "list", "data": [], "has_more": False, "url": "/v1/invoices/lines"},
        "livemode": False,
        "metadata": {},
        "parent": {
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": order.subscription},
            "type": "subscription_details",
        },
        "period_end": now,
        "period_start": now,
        "status": "paid",
        "status_transitions": {"finalized_at": now, "paid_at": now, "voided_at": None},
        "subtotal": order.minor,
        "total": order.minor,
    }


def invoice_payment(order: Order) -> dict[str, Any]:
    return {
        "id": new_id("inpay"),
        "object": "invoice_payment",
        "amount_paid": order.minor,
        "amount_requested": order.minor,
        "created": int(time.time()),
        "currency": order.currency.lower(),
        "invoice": order.invoice,
        "is_default": True,
        "livemode": False,
        "payment": {"payment_intent": order.payment_intent, "type": "payment_intent"},
        "status": "paid",
        "status_transitions": {"canceled_at": None, "paid_at": int(time.time())},
    }


def charge(order: Order, *, refunded: Decimal = Decimal(0)) -> dict[str, Any]:
    minor = stripe_minor(refunded, order.currency)
    return {
        "id": order.charge,
        "object": "charge",
        "amount": order.minor,
        "amount_captured": order.minor,
        "amount_refunded": minor,
        "captured": True,
        "created": int(time.time()),
        "currency": order.currency.lower(),
        "customer": order.customer,
        "disputed": False,
        "livemode": False,
        "metadata": {},
        "paid": True,
        "payment_intent": order.payment_intent,
        "refunded": minor >= order.minor,
        "refunds": {"object": "list", "data": [], "has_more": False, "url": "/v1/refunds"},
        "status": "succeeded",
    }


def dispute(order: Order, dispute_id: str, status: str) -> dict[str, Any]:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": order.minor,
        "charge": order.charge,
        "created": int(time.time()),
        "currency": order.currency.lower(),
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": order.payment_intent,
        "reason": "fraudulent",
        "status": status,
    }


def subscription(order: Order) -> dict[str, Any]:
    now = int(time.time())
    return {
        "id": order.subscription,
        "object": "subscription",
        "cancel_at_period_end": False,
        "canceled_at": now,
        "created": now,
        "currency": order.currency.lower(),
        "customer": order.customer,
        "ended_at": now,
        "livemode": False,
        "metadata": {},
        "status": "canceled",
    }


def _discounts(order: Order) -> list[dict[str, Any]]:
    if not order.discount_code:
        return []
    return [{"coupon": order.discount_code, "promotion_code": new_id("promo")}]
