"""Conversions (signups and purchases) attributed to a referral code, exactly once.

The idempotency key is (program, event, order id): a retry, however often or concurrently
it arrives, returns the first result and is counted once (a conditional write in the same
transaction as the counters, see store.dynamo.record_conversion).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..store.ledger import Credit, EffectsRejectedError, Touch
from ..store.records import Conversion, credits_of
from .attribution import Model, assign_credit, split_amount
from .clock import iso
from .codes import normalize_code
from .context import Context
from .currencies import CURRENCIES, minor_digits
from .customers import CustomerPurchases, referred_customer
from .errors import InvalidInputError, UnavailableError, UnknownCodeError
from .issuing import ConversionPlan
from .programs import Program
from .rewards import reward_view
from .signing import ClickId

EVENTS = ("signup", "purchase")
MAX_AMOUNT = Decimal("1000000000")
_ORDER_RE = re.compile(r"[\x21-\x7e]{1,128}")
API_FIELDS = ("event", "order_id", "amount", "currency", "ref", "click_id", "customer_id")
NO_REFERRAL = "Send 'ref' (the referral code) or 'click_id' (from the link)."
CUSTOMER_MODEL = "customer"  # credited to whoever referred the customer (a later purchase)
_PLAN_ROUNDS = 25


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
    by_customer: bool = False  # no ref nor click id: the customer's referral is on record


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
    customer_id = _order_id(data.get("customer_id"), "customer_id") or ""
    known_customer = by_customer and bool(customer_id) and not code
    if not code and not referral_optional and not known_customer:
        raise InvalidInputError(NO_REFERRAL)
    click_id = str(data.get("click_id")) if click else ""
    return ConversionRequest(
        event, order_id, amount, currency, code, click_id, click, customer_id, known_customer
    )


def attribute_conversion(
    ctx: Context, program: Program, request: ConversionRequest, *, visitor: str = ""
) -> tuple[Conversion, bool]:
    """Record the conversion, credited by the program's attribution model, with the rewards
    it brings; (conversion, created). A repeat of the same (event, order id) returns the
    first conversion with created=False, and issues nothing."""
    now = ctx.clock.now()
    customer = _customer_key(ctx, program, request, visitor)
    profile = referred_customer(ctx, program, customer) if request.by_customer else None
    if profile is not None:
        request = replace(request, code=profile.code)
    order_id = request.order_id or _implicit_order_id(request, visitor)
    touches = [] if request.by_customer else _touchpoints(ctx, program, request, visitor)
    plan = ConversionPlan(ctx, program, customer_key=customer, view=conversion_view)
    purchases = CustomerPurchases(
        ctx, program, customer, wanted=request.event == "purchase", profile=profile
    )
    excluded: set[str] = set()
    for _ in range(_PLAN_ROUNDS):
        credits = _credits(program, request, [t for t in touches if t.code not in excluded], now)
        if not credits:
            raise InvalidInputError(NO_REFERRAL)
        conversion, effects = plan.build(
            Conversion(
                program=program.id,
                event=request.event,
                order_id=order_id,
                code=credits[0].code,
                created_at=now,
                amount=request.amount,
                currency=request.currency if request.amount else "",
                click_id=request.click_id,
                visitor=visitor,
                successful=request.event == program.success_event,
                credits=tuple(credits),
                channel=request.click.channel if request.click else "",
                page=request.click.page if request.click else "",
                model=CUSTOMER_MODEL
                if request.by_customer
                else program.incentives.attribution_model,
            )
        )
        conversion, effects = purchases.count(conversion, effects)
        try:
            return ctx.store.record_conversion(conversion, effects)
        except EffectsRejectedError as exc:
            if request.code and request.code in exc.rejection.foreign_codes:
                raise UnknownCodeError(
                    f"Referral code '{request.code}' does not exist in program '{program.id}'."
                ) from None
            excluded |= exc.rejection.foreign_codes
            plan.learn(exc.rejection)
            purchases.learn(exc.rejection)
    raise UnavailableError("Too many concurrent updates for this referrer; try again.")


def conversion_view(conversion: Conversion) -> dict[str, Any]:
    view: dict[str, Any] = {
        "program": conversion.program,
        "event": conversion.event,
        "order_id": conversion.order_id,
        "ref": conversion.code,
        "click_id": conversion.click_id or None,
        "amount": float(conversion.amount),
        "currency": conversion.currency or None,
        "created_at": iso(conversion.created_at),
        "status": conversion.status,
        "credits": [
            {"ref": credit.code, "share": float(credit.share)} for credit in credits_of(conversion)
        ],
        "rewards": [reward_view(reward) for reward in conversion.rewards],
    }
    if conversion.notes:
        view["notes"] = list(conversion.notes)
    if conversion.refunded_at:
        view["refunded_at"] = iso(conversion.refunded_at)
    return view


def _touchpoints(
    ctx: Context, program: Program, request: ConversionRequest, visitor: str
) -> list[Touch]:
    """The visitor's clicks, when the model needs them (one query): any model but last_click,
    or a conversion that names no referrer. The click id's visitor is the one who clicked;
    the pixel's is whoever loaded it."""
    if request.code and program.incentives.attribution_model == "last_click":
        return []
    who = (request.click.visitor if request.click else "") or visitor
    return ctx.store.touchpoints(who) if who else []


def _credits(
    program: Program, request: ConversionRequest, touches: list[Touch], now: float
) -> list[Credit]:
    """The codes credited, primary first, with their revenue. The conversion's own click is
    a touchpoint; a ref without a click id counts as touched now unless the visitor has a
    touchpoint on it in the window. last_click with a ref or click id takes it as is."""
    incentives = program.incentives
    model = Model(
        incentives.attribution_model, program.attribution_window_days, incentives.half_life_days
    )
    if request.code and (model.name == "last_click" or request.by_customer):
        shares = [Credit(request.code, Decimal(1))]
    else:
        pool = list(touches)
        if request.click is not None:
            clicked = Touch(request.code, request.click.at)
            pool += [] if clicked in pool else [clicked]
        elif request.code and not assign_credit(
            model, [t for t in pool if t.code == request.code], now
        ):
            pool.append(Touch(request.code, now))
        shares = assign_credit(model, pool, now)
    parts = split_amount(request.amount, shares, minor_digits(request.currency))
    return [replace(c, revenue=part) for c, part in zip(shares, parts, strict=True)]


def _customer_key(ctx: Context, program: Program, request: ConversionRequest, visitor: str) -> str:
    """Who bought, for first-purchase-only rules: the shop's customer id, else the visitor
    (the browser that sent the pixel, or the one named by the click id)."""
    if request.customer_id:
        return "c" + ctx.signer.customer_key(program.id, request.customer_id)
    who = visitor or (request.click.visitor if request.click else "")
    return "v" + who if who else ""


def _implicit_order_id(request: ConversionRequest, visitor: str) -> str:
    """A signup without an order id: once per click, or once per visitor and referrer."""
    if request.click_id:
        basis = f"click\n{request.click_id}"
    elif visitor:
        basis = f"visitor\n{request.code or '*'}\n{visitor}"
    else:
        raise InvalidInputError(
            "'order_id' is required for a signup without 'click_id': send your customer or "
            "account id, so a retried call is not counted twice."
        )
    return "auto-" + hashlib.sha256(basis.encode()).hexdigest()[:32]


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
