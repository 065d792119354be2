"""Signed conversions (`fraud: {signed_conversions: true}`): the site owner's server signs
each pixel or beacon conversion with the program's identity_secret, and one without a valid
signature is refused outright (it is not a review rule). docs/fraud.md shows how to sign."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

from ...model.currencies import minor_digits
from ...model.errors import UnauthorizedError
from ...model.program import Program


def conversion_signature(secret: str, event: str, order_id: str, amount: str) -> str:
    """What the site owner's server computes for a signed pixel or beacon: hex HMAC-SHA256,
    under the program's identity_secret, of `conversion`, the event, the order id and the
    amount with the currency's decimals ("49.90"), one per line."""
    message = f"conversion\n{event}\n{order_id}\n{amount}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def amount_text(amount: object, currency: str) -> str:
    return f"{Decimal(str(amount)):.{minor_digits(currency)}f}"


def check_signature(
    program: Program, event: str, order_id: str | None, amount: str, signature: object
) -> bool:
    """Whether a browser conversion carries the signature of exactly this event, order id
    and amount under the program's identity_secret (constant-time): then it is as trusted as
    the conversions API. A program that requires signed conversions refuses one without; a
    wrong signature is refused whatever the program requires."""
    secret = program.identity_secret
    given = isinstance(signature, str) and bool(signature)
    if secret is None or (not given and not program.fraud.signed_conversions):
        return False
    if not order_id or not isinstance(signature, str) or not signature:
        raise UnauthorizedError(
            f"Program '{program.id}' requires signed conversions: send 'order_id' and "
            "'signature' (see docs/fraud.md)."
        )
    expected = conversion_signature(secret, event, order_id, amount)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()[:64]):
        raise UnauthorizedError("'signature' does not match this event, order_id and amount.")
    return True
