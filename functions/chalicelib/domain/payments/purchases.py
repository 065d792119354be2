"""A purchase a payment provider reports, recorded through the same step as the conversions
API (domain/conversions/confirmation.py): a trusted report that records the order, or
confirms what a browser or an earlier event recorded of it.

Its referrer is, in this order: the referral the checkout or order carried (a click id or a
code: `client_reference_id`, metadata, note attributes, the landing URL), else the owner of
a discount code it used, else whoever referred the customer before. A paid order with none of
these is recorded as an organic purchase (or left out, `payments.organic: ignore`), open to a
later event of the same order that names its referrer (an invoice that arrives before its
checkout)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ...model.errors import UnknownCodeError, UnknownCustomerError
from ...model.payments import ORGANIC_RECORD
from ...model.program import Program
from ...model.records import Conversion
from ..context import Context
from ..conversions.confirmation import record_trusted_conversion
from ..conversions.input import ConversionRequest, parse_conversion
from ..referrals.discounts import discount_owner
from ..referrals.references import read_reference
from .events import RECORDED, UNCHANGED, Handled
from .settlement import purchase_recorded


@dataclass(frozen=True)
class Purchase:
    provider: str
    order_id: str
    amount: Decimal
    currency: str
    customer_id: str = ""
    email: str = ""
    references: tuple[object, ...] = ()  # referrals the order carried, the most trusted first
    discount_codes: tuple[str, ...] = ()
    payments: tuple[str, ...] = ()  # the facts keys of the payments that paid it
    renewal_stopped: bool = False  # it renews a subscription that has ended


def record_purchase(ctx: Context, program: Program, purchase: Purchase) -> Handled:
    request = _request(ctx, program, purchase)
    try:
        conversion, created = _record(ctx, program, request, purchase.provider)
    except UnknownCustomerError:  # a customer nobody referred: as if it named no one
        conversion, created = _record(
            ctx, program, replace(request, by_customer=False), purchase.provider
        )
    except UnknownCodeError:  # a click of another program's code
        bare = replace(request, code="", click=None, click_id="", by_discount=False)
        conversion, created = _record(ctx, program, bare, purchase.provider)
    purchase_recorded(ctx, program, purchase.provider, conversion.order_id, purchase.payments)
    return Handled(RECORDED if created else UNCHANGED, "", conversion.order_id)


def _record(
    ctx: Context, program: Program, request: ConversionRequest, provider: str
) -> tuple[Conversion, bool]:
    if not request.code and not request.by_customer:
        organic = program.payments.organic == ORGANIC_RECORD
        request = replace(request, organic=organic)
    return record_trusted_conversion(ctx, program, request, by=provider)


def _request(ctx: Context, program: Program, purchase: Purchase) -> ConversionRequest:
    data: dict[str, Any] = {
        "event": "purchase",
        "order_id": purchase.order_id,
        "amount": str(purchase.amount),
        "currency": purchase.currency,
        "customer_id": purchase.customer_id[:128] or None,
        "email": purchase.email if _looks_like_email(purchase.email) else None,
    }
    referral = _referral(ctx, program, purchase.references)
    request = parse_conversion(
        ctx, program, {**data, **referral}, referral_optional=True, by_customer=True
    )
    request = replace(request, recurring_stopped=purchase.renewal_stopped)
    if request.code:
        return request
    for code in purchase.discount_codes:
        owner = discount_owner(ctx, program, code)
        if owner:
            discount = code.strip().upper()
            return replace(
                request, code=owner, by_customer=False, by_discount=True, discount_code=discount
            )
    return request


def _referral(ctx: Context, program: Program, references: tuple[object, ...]) -> Mapping[str, str]:
    """The first reference that names a referrer of this program: a click within the
    attribution window, or a code that exists here (one GetItem)."""
    now = ctx.clock.now()
    for raw in references:
        code, click_id, click = read_reference(ctx.signer, raw)
        if click is not None:
            if now - click.at <= program.attribution_window_days * 86400:
                return {"click_id": click_id}
            continue
        referrer = ctx.store.referrers.get_referrer(code) if code else None
        if referrer is not None and referrer.program == program.id:
            return {"ref": code}
    return {}


def _looks_like_email(value: str) -> bool:
    return 3 <= len(value) <= 254 and "@" in value and not any(c.isspace() for c in value)
