"""A conversion as it arrives (the API's JSON body, the beacon's, or the pixel's query):
validated into a ConversionRequest, with messages a developer can act on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ...model.codes import normalize_code
from ...model.currencies import CURRENCIES, minor_digits
from ...model.errors import InvalidInputError
from ...model.program import Program
from ..context import Context
from ..referrals.discounts import discount_owner
from ..trust.signed_conversions import amount_text, check_signature
from ..trust.signing import ClickId

EVENTS = ("signup", "purchase")
MAX_AMOUNT = Decimal("1000000000")
_ORDER_RE = re.compile(r"[\x21-\x7e]{1,128}")
API_FIELDS = (
    "event",
    "order_id",
    "amount",
    "currency",
    "ref",
    "click_id",
    "customer_id",
    "email",
    "signature",
    "discount_code",
)
NO_REFERRAL = "Send 'ref' (the referral code) or 'click_id' (from the link)."
_DISCOUNT_RE = re.compile(r"[A-Za-z0-9_-]{1,100}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")
_SIGNATURE_RE = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class ConversionRequest:
    event: str
    order_id: str | None
    amount: Decimal
    currency: str
    code: str  # "" when the referral is to be found from the visitor's touchpoints
    click_id: str
    click: ClickId | None = None
    customer_id: str = ""
    email: str = ""  # the customer's email, for fraud rules: only its keyed hash is stored
    signature: str = ""  # signed conversions (docs/fraud.md)
    by_customer: bool = False  # no ref nor click id: the customer's referral is on record
    discount_code: str = ""  # the discount code the order used, in capitals
    by_discount: bool = False  # `code` is the owner of that discount code (channel `code`)
    recurring_stopped: bool = False  # a renewal of a subscription that has ended
    # A paid order a webhook reports without a referral: recorded organic, and open to a
    # later report of the same order that names one (invoice before checkout).
    organic: bool = False


def parse_conversion(
    ctx: Context,
    program: Program,
    data: Mapping[str, Any],
    *,
    referral_optional: bool = False,
    by_customer: bool = False,
) -> ConversionRequest:
    """Validate a conversion (from the API body or the pixel's query); InvalidInputError
    with a message a developer can act on otherwise. `referral_optional`: the caller knows
    the visitor, whose touchpoints can name the referrer when neither ref nor click id does.
    `by_customer` (the keyed API only, as it answers with the referrer): a later purchase may
    name only its `customer_id`, and is credited to whoever referred that customer."""
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
    code, click = _referral(ctx, program, data.get("ref"), data.get("click_id"))
    discount = _discount_code(data.get("discount_code"))
    by_discount = False
    if not code and discount:
        code = discount_owner(ctx, program, discount)
        by_discount = bool(code)
    customer_id = _order_id(data.get("customer_id"), "customer_id") or ""
    known_customer = by_customer and bool(customer_id) and not code
    if not code and not referral_optional and not known_customer:
        raise InvalidInputError(NO_REFERRAL)
    click_id = str(data.get("click_id")) if click else ""
    return ConversionRequest(
        event,
        order_id,
        amount,
        currency,
        code,
        click_id,
        click,
        customer_id,
        _customer_email(data.get("email")),
        _signature(data.get("signature")),
        known_customer,
        discount,
        by_discount,
    )


def check_conversion_signature(program: Program, request: ConversionRequest) -> bool:
    """Whether a browser conversion is signed by the site's server (see check_signature);
    UnauthorizedError for a wrong signature, or a missing one where it is required."""
    return check_signature(
        program,
        request.event,
        request.order_id,
        amount_text(request.amount, request.currency),
        request.signature,
    )


def _customer_email(raw: Any) -> str:
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or len(raw) > 254 or "@" not in raw or _CONTROL.search(raw):
        raise InvalidInputError("'email' must be the customer's email address, e.g. a@b.com.")
    return raw.strip()


def _discount_code(raw: Any) -> str:
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or not _DISCOUNT_RE.fullmatch(raw.strip()):
        raise InvalidInputError(
            "'discount_code' must be the code the customer entered: letters, digits, - or _."
        )
    return raw.strip().upper()


def _signature(raw: Any) -> str:
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or not _SIGNATURE_RE.fullmatch(raw.strip()):
        raise InvalidInputError("'signature' must be a hex HMAC-SHA256 (64 characters).")
    return raw.strip().lower()


def _order_id(raw: Any, name: str = "order_id") -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidInputError(f"'{name}' must be text, e.g. \"1001\".")
    if not _ORDER_RE.fullmatch(raw):
        raise InvalidInputError(f"'{name}' must be 1-128 printable characters without spaces.")
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


def _referral(
    ctx: Context, program: Program, raw_ref: Any, raw_click: Any
) -> tuple[str, ClickId | None]:
    """The referral code the conversion names, from a click id (checked and within the
    attribution window) or a ref; "" when it names none."""
    code: str | None = None
    click: ClickId | None = None
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
        code = click.code
    if raw_ref not in (None, ""):
        ref = normalize_code(raw_ref) if isinstance(raw_ref, str) else None
        if ref is None:
            raise InvalidInputError("'ref' is not a referral code (letters and digits only).")
        if code is not None and ref != code:
            raise InvalidInputError("'ref' and 'click_id' name different referral codes.")
        code = ref
    return code or "", click
