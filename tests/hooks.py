"""Shared setup for the payment webhook tests: a program connected to Stripe and Shopify (the
rewards the sequences of tests/payments/sequences/ assume), and signed deliveries through
chalice.test.Client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import stripe

from referbee.hooks import stripe_events
from tests.helpers import body_of, click
from tests.trust import FRIEND, SECRET_OF_SHOP

STRIPE_SECRET = "whsec_test_" + "5" * 32
SHOPIFY_SECRET = "shopify-test-secret-" + "7" * 24
REWARDS: dict[str, Any] = {
    "referrer": {"text": "20% of the first payment", "kind": "percent", "percent": 20},
    "friend": {
        "text": "15% off your first order",
        "kind": "percent",
        "percent": 15,
        "first_purchase_only": True,
    },
    "recurring": {"text": "10% of every renewal for 12 months", "percent": 10, "months": 12},
}


def paid_program(**changes: Any) -> dict[str, Any]:
    program: dict[str, Any] = {
        "id": "shop",
        "name": "Test Shop",
        "landing_url": "https://shop.example.com/welcome",
        "currency": "USD",
        "identity_secret": SECRET_OF_SHOP,
        "rewards": dict(REWARDS),
        "payments": {
            "stripe": {"webhook_secret": STRIPE_SECRET},
            "shopify": {"webhook_secret": SHOPIFY_SECRET},
        },
    }
    program.update(changes)
    return {"programs": [program]}


def send_stripe(
    api: Any,
    body: dict[str, Any] | bytes,
    *,
    secret: str = STRIPE_SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
    program: str = "shop",
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    header = signature
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(
            raw.decode(), secret, timestamp=timestamp or int(time.time())
        )
    return api.http.post(
        f"/v1/programs/{program}/hooks/stripe",
        body=raw,
        headers={"content-type": "application/json; charset=utf-8", "stripe-signature": header},
    )


def stripe_hook(api: Any, event_type: str, obj: dict[str, Any], event_id: str = "") -> Any:
    """Send one event and return its answer's body (asserting a 200)."""
    answer = send_stripe(api, stripe_events.event(event_type, obj, event_id))
    assert answer.status_code == 200, answer.body
    return body_of(answer)


def send_shopify(
    api: Any,
    topic: str,
    body: dict[str, Any],
    *,
    event_id: str = "",
    secret: str = SHOPIFY_SECRET,
    hmac_header: str | None = None,
) -> Any:
    raw = json.dumps(body).encode()
    digest = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
    headers = {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-webhook-id": event_id or f"wh-{time.time_ns()}",
        "x-shopify-hmac-sha256": digest if hmac_header is None else hmac_header,
    }
    return api.http.post("/v1/programs/shop/hooks/shopify", body=raw, headers=headers)


def widget_reference(api: Any, code: str) -> str:
    """What the widget puts in client_reference_id after a click on `code`'s link."""
    location = click(api, code, ua=FRIEND).headers["Location"]
    click_id = parse_qs(urlsplit(location).query)["click"][0]
    return click_id.replace(".", "X")
