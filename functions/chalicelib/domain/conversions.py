"""Conversions (signups and purchases) attributed to a referral code, exactly once.

The idempotency key is (program, event, order id): a retry, however often or concurrently
it arrives, returns the first result and is counted once (a conditional write in the same
transaction as the counters, see store.dynamo.record_conversion).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..store.records import Conversion
from .clock import iso
from .codes import normalize_code
from .context import Context
from .currencies import CURRENCIES, minor_digits
from .errors import InvalidInputError
from .programs import Program

EVENTS = ("signup", "purchase")
MAX_AMOUNT = Decimal("1000000000")
_ORDER_RE = re.compile(r"[\x21-\x7e]{1,128}")
API_FIELDS = ("event", "order_id", "amount", "currency", "ref", "click_id")


@dataclass(frozen=True)
class ConversionRequest:
    event: str
    order_id: str | None
    amount: Decimal
    currency: str
    code: str
    click_id: str


def parse_conversion(ctx: Context, program: Program, data: Mapping[str, Any]) -> ConversionRequest:
    """Validate a conversion (from the API body or the pixel's query); InvalidInputError
    with a message a developer can act on otherwise."""
    event = data.get("event")
    if event not in EVENTS:
        raise InvalidInputError('\'event\' must be "signup" or "purchase".')
    order_id = _order_id(data.get("order_id"))
    if event == "purchase" and order_id is None:
        raise InvalidInputError("'order_id' is required for purchases (it makes retries safe).")
    currency = _currency(data.get("currency"), program)
    amount = _amount(data.get("amount"), currency, required=event == "purchase")
    if event == "signup" and amount:
        raise InvalidInputError("A signup carries no 'amount'; send a purchase for revenue.")
    code, click_id = _referral(ctx, program, data.get("ref"), data.get("click_id"))
    return ConversionRequest(event, order_id, amount, currency, code, click_id)


def attribute_conversion(
    ctx: Context, program: Program, request: ConversionRequest, *, visitor: str = ""
) -> tuple[Conversion, bool]:
    """Record the conversion for the referrer; (conversion, created). A repeat of the same
    (event, order id) returns the first conversion with created=False."""
    order_id = request.order_id or _implicit_order_id(request, visitor)
    conversion = Conversion(
        program=program.id,
        event=request.event,
        order_id=order_id,
        code=request.code,
        created_at=ctx.clock.now(),
        amount=request.amount,
        currency=request.currency if request.amount else "",
        click_id=request.click_id,
        visitor=visitor,
        successful=request.event == program.success_event,
    )
    return ctx.store.record_conversion(conversion)


def conversion_view(conversion: Conversion) -> dict[str, Any]:
    return {
        "program": conversion.program,
        "event": conversion.event,
        "order_id": conversion.order_id,
        "ref": conversion.code,
        "click_id": conversion.click_id or None,
        "amount": float(conversion.amount),
        "currency": conversion.currency or None,
        "created_at": iso(conversion.created_at),
        "status": "recorded",
    }


def _implicit_order_id(request: ConversionRequest, visitor: str) -> str:
    """A signup without an order id: once per click, or once per visitor and referrer."""
    if request.click_id:
        basis = f"click\n{request.click_id}"
    elif visitor:
        basis = f"visitor\n{request.code}\n{visitor}"
    else:
        raise InvalidInputError(
            "'order_id' is required for a signup without 'click_id': send your customer or "
            "account id, so a retried call is not counted twice."
        )
    return "auto-" + hashlib.sha256(basis.encode()).hexdigest()[:32]


def _order_id(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidInputError("'order_id' must be text, e.g. \"1001\".")
    if not _ORDER_RE.fullmatch(raw):
        raise InvalidInputError("'order_id' must be 1-128 printable characters without spaces.")
    return raw


def _currency(raw: Any, program: Program) -> str:
    if raw is None or raw == "":
        return program.currency
    if not isinstance(raw, str) or raw.strip().upper() not in CURRENCIES:
        shown = str(raw)[:10]
        raise InvalidInputError(f"'currency' must be an ISO 4217 code like \"USD\", not '{shown}'.")
    return raw.strip().upper()


def _amount(raw: Any, currency: str, *, required: bool) -> Decimal:
    if raw is None or raw == "":
        if required:
            raise InvalidInputError("'amount' is required for purchases, e.g. 49.90.")
        return Decimal(0)
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float | str)
        or (isinstance(raw, str) and len(raw) > 32)
    ):
        raise InvalidInputError("'amount' must be a number, e.g. 49.90.")
    try:
        amount = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidInputError(f"'amount' must be a number, not '{str(raw)[:20]}'.") from None
    if not amount.is_finite():
        raise InvalidInputError("'amount' must be a finite number.")
    if amount < 0:
        raise InvalidInputError("'amount' cannot be negative; report refunds separately.")
    if amount > MAX_AMOUNT:
        raise InvalidInputError(f"'amount' is larger than {MAX_AMOUNT}.")
    exponent = Decimal(1).scaleb(-minor_digits(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def _referral(ctx: Context, program: Program, raw_ref: Any, raw_click: Any) -> tuple[str, str]:
    """The referral code the conversion belongs to, from a click id (checked and within the
    attribution window) or a ref."""
    code: str | None = None
    click_id = ""
    if raw_click not in (None, ""):
        click = ctx.signer.read_click_id(raw_click) if isinstance(raw_click, str) else None
        if click is None:
            raise InvalidInputError("'click_id' is not a click id issued by this program.")
        age_days = (ctx.clock.now() - click.at) / 86400
        if age_days > program.attribution_window_days:
            raise InvalidInputError(
                f"This click is older than the program's {program.attribution_window_days}-day "
                "attribution window."
            )
        code, click_id = click.code, str(raw_click)
    if raw_ref not in (None, ""):
        ref = normalize_code(raw_ref) if isinstance(raw_ref, str) else None
        if ref is None:
            raise InvalidInputError("'ref' is not a referral code (letters and digits only).")
        if code is not None and ref != code:
            raise InvalidInputError("'ref' and 'click_id' name different referral codes.")
        code = ref
    if code is None:
        raise InvalidInputError("Send 'ref' (the referral code) or 'click_id' (from the link).")
    return code, click_id
