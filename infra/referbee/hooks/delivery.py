"""Signing an event as its provider signs it and posting it to a program's webhook route:
Stripe's `Stripe-Signature` (made by the `stripe` library's own helper), Shopify's base64
HMAC-SHA256 of the body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from chalicelib.model.errors import ReferbeeError

PROVIDERS = ("stripe", "shopify")


@dataclass(frozen=True)
class Delivery:
    """An event as it goes out: its body and headers; `topic` and `event_id` for Shopify."""

    provider: str
    body: dict[str, Any]
    topic: str = ""
    event_id: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]

    def line(self) -> str:
        what = self.body.get("outcome") or self.body.get("error") or ""
        detail = self.body.get("detail") or ""
        return f"{self.status} {what}" + (f": {detail}" if detail else "")


def deliver(api: str, program: str, delivery: Delivery, secret: str) -> Answer:
    """POST the signed event to `{api}/v1/programs/{program}/hooks/{provider}`."""
    raw = json.dumps(delivery.body, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "referbee hooks"}
    headers.update(signed_headers(delivery, raw, secret))
    url = f"{api.rstrip('/')}/v1/programs/{program}/hooks/{delivery.provider}"
    request = urllib.request.Request(url, data=raw, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, _json(exc.read()))
    except (urllib.error.URLError, OSError) as exc:
        raise ReferbeeError(f"cannot reach the API at {api} ({exc})") from exc


def signed_headers(delivery: Delivery, raw: bytes, secret: str) -> dict[str, str]:
    if delivery.provider == "stripe":
        import stripe

        header = stripe.WebhookSignature.generate_signature_header(raw.decode(), secret)
        return {"Stripe-Signature": header}
    digest = hmac.new(secret.encode(), raw, hashlib.sha256).digest()
    return {
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-Topic": delivery.topic,
        "X-Shopify-Webhook-Id": delivery.event_id or secrets.token_hex(16),
        "X-Shopify-Shop-Domain": "referbee-test.myshopify.com",
        "X-Shopify-API-Version": "2026-01",
    }


def _json(raw: bytes) -> dict[str, Any]:
    try:
        found = json.loads(raw)
    except ValueError:
        return {"error": raw[:200].decode(errors="replace")}
    return found if isinstance(found, dict) else {"error": str(found)}
