"""`referbee hooks send`: one test event, built in the provider's own shape, signed with the
program's webhook secret and posted, so a site owner sees the whole flow without a Stripe or
Shopify account. What it builds names its objects (session, payment, invoice, order ids), so
a follow-up event (a refund, a renewal, a dispute) can refer to them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chalicelib.domain.referrals.references import reference_for
from chalicelib.model.errors import ReferbeeError

from .. import legacy
from ..devstack.webhook_secrets import ENVIRONMENT, dev_secret
from . import shopify_events as sh
from . import stripe_events as se
from .delivery import Delivery

STRIPE_TYPES = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "invoice.paid",
    "invoice_payment.paid",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.closed",
    "customer.subscription.deleted",
)
SHOPIFY_TYPES = ("orders/paid", "refunds/create")


@dataclass
class TestEvent:
    """What `referbee hooks send` was asked for. `order`, `payment` and `subscription` name
    the objects of an earlier event; new ones are made up otherwise."""

    amount: Decimal | None = None
    currency: str = "USD"
    ref: str = ""
    click: str = ""
    customer: str = ""
    email: str = "friend@example.com"
    discount_code: str = ""
    order: str = ""
    payment: str = ""
    subscription: str = ""
    mode: str = "payment"
    status: str = "needs_response"
    renewal: bool = False


def build(provider: str, event_type: str, wanted: TestEvent) -> Delivery:
    if provider == "stripe":
        return Delivery("stripe", _stripe(event_type, wanted))
    if event_type not in SHOPIFY_TYPES:
        raise ReferbeeError(
            f"unknown Shopify topic {event_type}: one of {', '.join(SHOPIFY_TYPES)}"
        )
    order = sh.ShopOrder(
        _amount(wanted),
        currency=wanted.currency,
        discount_code=wanted.discount_code,
        landing_site=_landing(wanted),
        email=wanted.email,
    )
    if wanted.order:
        order.order_id = _number(wanted.order, "--order")
    if event_type == "orders/paid":
        return Delivery("shopify", sh.order(order), topic=event_type)
    return Delivery("shopify", sh.refund(order, _amount(wanted)), topic=event_type)


def secret_for(provider: str, given: str | None) -> str:
    """--secret, else the environment's, else the one `referbee dev` made."""
    found = given or os.environ.get(ENVIRONMENT[provider], "").strip()
    found = found or dev_secret(legacy.state_dir() / "dev", provider, create=False) or ""
    if not found:
        raise ReferbeeError(
            f"no {provider} webhook secret: pass --secret, set {ENVIRONMENT[provider]}, or run "
            "this next to a running `referbee dev`"
        )
    return found


def default_program() -> str:
    """The first program of the running `referbee dev`."""
    connection = legacy.state_dir() / "dev" / "api.json"
    if connection.exists():
        programs = json.loads(connection.read_text()).get("programs") or []
        if programs:
            return str(programs[0])
    raise ReferbeeError("no program: pass --program")


def described(delivery: Delivery) -> str:
    """The ids a follow-up event can name: `evt_... checkout.session.completed cs_... pi_...`."""
    body = delivery.body
    if delivery.provider == "shopify":
        order = body.get("order_id") or body.get("id")
        return f"{delivery.topic} order {order}"
    obj = body["data"]["object"]
    names = ("id", "payment_intent", "invoice", "subscription", "customer")
    ids = [str(obj[name]) for name in names if isinstance(obj.get(name), str)]
    return f"{body['id']} {body['type']} " + " ".join(dict.fromkeys(ids))


def _stripe(event_type: str, wanted: TestEvent) -> dict[str, Any]:
    if event_type not in STRIPE_TYPES:
        raise ReferbeeError(f"unknown Stripe event {event_type}: {', '.join(STRIPE_TYPES)}")
    ending = event_type == "customer.subscription.deleted"
    order = se.Order(
        Decimal(0) if ending else _amount(wanted),
        currency=wanted.currency,
        reference=reference_for(wanted.click) if wanted.click else wanted.ref,
        email=wanted.email,
        discount_code=wanted.discount_code,
    )
    for name in ("customer", "subscription"):
        if getattr(wanted, name):
            setattr(order, name, getattr(wanted, name))
    if wanted.payment:
        order.payment_intent = wanted.payment
    if wanted.order:
        order.session = order.invoice = wanted.order
    builders = {
        "checkout.session.completed": lambda: se.checkout_session(order, mode=wanted.mode),
        "checkout.session.async_payment_succeeded": lambda: se.checkout_session(order),
        "invoice.paid": lambda: se.invoice(
            order, billing_reason="subscription_cycle" if wanted.renewal else "subscription_create"
        ),
        "invoice_payment.paid": lambda: se.invoice_payment(order),
        "charge.refunded": lambda: se.charge(order, refunded=order.amount),
        "charge.dispute.created": lambda: se.dispute(order, _dispute_id(wanted), wanted.status),
        "charge.dispute.closed": lambda: se.dispute(order, _dispute_id(wanted), wanted.status),
        "customer.subscription.deleted": lambda: se.subscription(order),
    }
    return se.event(event_type, builders[event_type]())


def _dispute_id(wanted: TestEvent) -> str:
    return f"dp_{(wanted.payment or 'test').removeprefix('pi_')}"


def _amount(wanted: TestEvent) -> Decimal:
    if wanted.amount is None:
        raise ReferbeeError("pass --amount, e.g. --amount 49.00")
    return wanted.amount


def _landing(wanted: TestEvent) -> str:
    if wanted.click:
        return f"/?click={wanted.click}"
    return f"/?ref={wanted.ref}" if wanted.ref else "/"


def _number(raw: str, option: str) -> int:
    if not raw.isdigit():
        raise ReferbeeError(f"{option} must be a Shopify order id (digits)")
    return int(raw)
