"""Webhook signatures: HMAC-SHA256 over `{timestamp}.{body}` with the endpoint's secret.

The timestamp travels in its own header so a receiver can refuse old (replayed) deliveries;
docs/webhooks.md shows the receiver's side, and a test runs that snippet against real
deliveries.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Referbee-Signature"
TIMESTAMP_HEADER = "Referbee-Timestamp"
EVENT_HEADER = "Referbee-Event"
EVENT_ID_HEADER = "Referbee-Event-Id"
ATTEMPT_HEADER = "Referbee-Delivery-Attempt"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the Referbee-Signature header: `v1=` and the hex HMAC."""
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, timestamp: int, body: bytes, *, event_type: str, event_id: str, attempt: int
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "referbee-webhooks",
        EVENT_HEADER: event_type,
        EVENT_ID_HEADER: event_id,
        ATTEMPT_HEADER: str(attempt),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> bool:
    """What a receiver does (referbee uses it in its own tests): the signature must match, in
    constant time, and the timestamp must be within five minutes of `now`."""
    if (
        not (timestamp.isascii() and timestamp.isdigit())
        or abs(now - int(timestamp)) > TOLERANCE_SECONDS
    ):
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)
