"""Conversions (signups and purchases) attributed to a referral code, exactly once.

The idempotency key is (program, event, order id): a retry, however often or concurrently
it arrives, returns the first result and is counted once (a conditional write in the same
transaction as the counters, see store.dynamo.record_conversion).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

from ...model.currencies import minor_digits
from ...model.errors import InvalidInputError, UnavailableError, UnknownCodeError
from ...model.fraud import REFERRALS_BY_CLICK
from ...model.ledger import ConversionEffects, Credit, EffectsRejectedError, Tally, Touch
from ...model.program import Program
from ...model.records import Conversion
from ...model.statuses import RECORDED, REVIEW
from ..context import Context
from ..referrals.discounts import DISCOUNT_CHANNEL
from ..rewards.engine import ConversionPlan
from ..trust.fraud import Converter, flags_from, identity_guard, needs_touchpoints, screen, tallies
from ..trust.lookalikes import canonical_email
from ..trust.ratelimits import too_many
from .attribution import Model, assign_credit, split_amount
from .customers import CustomerPurchases, referred_customer
from .input import NO_REFERRAL, ConversionRequest
from .views import conversion_view

CUSTOMER_MODEL = "customer"  # credited to whoever referred the customer (a later purchase)
_PLAN_ROUNDS = 25


def attribute_conversion(
    ctx: Context,
    program: Program,
    request: ConversionRequest,
    *,
    visitor: str = "",
    source: str = "api",
    user_agent: str = "",
    rate: Tally | None = None,
    verified: bool = False,
) -> tuple[Conversion, bool]:
    """Record the conversion, credited by the program's attribution model, with the rewards
    it brings, or held for review when a fraud rule flags it; (conversion, created). A repeat
    of the same (event, order id) returns the first conversion with created=False, and issues
    nothing. `rate`: the caller's rate-limit counter, written in the same transaction.
    A browser's conversion (`source` pixel or beacon) that is not `verified` (signed by the
    site's server) is a claim: its rewards wait for confirmation (confirmation.py); without
    a click behind its referral it is recorded as organic."""
    now = ctx.clock.now()
    order_id = request.order_id or _implicit_order_id(request, visitor)
    customer = _customer_key(ctx, program, request, visitor)
    profile = referred_customer(ctx, program, customer) if request.by_customer else None
    if profile is not None:
        request = replace(request, code=profile.code)
    who = converter_of(ctx, program, request, visitor, source, user_agent)
    clicked = not who.browser or (
        request.click is not None and request.click.visitor in ("", visitor)
    )
    bare_ref = _bare_ref(program, request, who)
    touches = (
        []
        if request.by_customer
        else _touchpoints(
            ctx, program, request, visitor, bare_ref or needs_touchpoints(program, who, clicked)
        )
    )
    if bare_ref and not clicked_on(program, request.code, touches, now):
        request = replace(request, code="")  # a code nobody clicked names no referrer
    plan = ConversionPlan(ctx, program, customer_key=customer, view=conversion_view)
    purchases = CustomerPurchases(
        ctx, program, customer, wanted=request.event == "purchase", profile=profile
    )
    guard = identity_guard(program, who)
    excluded: set[str] = set()
    learned: list[str] = []
    for _ in range(_PLAN_ROUNDS):
        plan.repeat = purchases.prior
        plan.recurring_stopped = request.recurring_stopped
        credits = _credits(program, request, [t for t in touches if t.code not in excluded], now)
        if not credits and not who.browser and not request.organic:
            raise InvalidInputError(NO_REFERRAL)
        code = credits[0].code if credits else ""  # a browser's conversion may be organic
        flags = screen(program, who, code, clicked, touches, now) + learned if code else []
        base = Conversion(
            program=program.id,
            event=request.event,
            order_id=order_id,
            code=code,
            created_at=now,
            amount=request.amount,
            currency=request.currency if request.amount else "",
            click_id=request.click_id if code else "",
            visitor=visitor,
            successful=bool(code) and request.event == program.success_event and not plan.repeat,
            credits=tuple(credits),
            status=REVIEW if flags else RECORDED,
            flags=tuple(flags),
            customer=customer,
            identity=who.identity,
            channel=_channel(request, code),
            page=request.click.page if request.click and code else "",
            model=CUSTOMER_MODEL if request.by_customer else program.incentives.attribution_model,
            source=source,
            unverified=(who.browser and program.trust.browser_pending and not verified)
            or (request.organic and not code),
            discount_code=request.discount_code,
        )
        counts = tallies(program, who, code, base.event, now, flagged=bool(flags)) if code else ()
        counts += (rate,) if rate else ()
        if flags or not code:
            conversion, effects = base, ConversionEffects(tallies=counts)
        else:
            conversion, effects = plan.build(base)
            effects = replace(effects, tallies=counts, identity_guard=guard)
            conversion, effects = purchases.count(conversion, effects)
        try:
            return ctx.store.conversions.record_conversion(conversion, effects)
        except EffectsRejectedError as exc:
            rejection = exc.rejection
            if any(rule.startswith("rate_") for rule in rejection.tallies_over):
                raise too_many(now) from None
            if request.code and request.code in rejection.foreign_codes:
                raise UnknownCodeError(
                    f"Referral code '{request.code}' does not exist in program '{program.id}'."
                ) from None
            excluded |= rejection.foreign_codes
            found = [f for f in flags_from(rejection, guard) if f not in learned]
            if found and not flags:
                learned += found
                continue
            plan.learn(rejection)
            purchases.learn(rejection)
    raise UnavailableError("Too many concurrent updates for this referrer; try again.")


def clicked_on(program: Program, code: str, touches: list[Touch], now: float) -> bool:
    """The visitor clicked a link of `code` within the attribution window (a touchpoint the
    redirect recorded for them)."""
    window = program.attribution_window_days * 86400
    return any(t.code == code and now - window <= t.at <= now for t in touches)


def _bare_ref(program: Program, request: ConversionRequest, who: Converter) -> bool:
    """A browser names a code without a click id, and the program wants a real click: the
    visitor's touchpoints must show one."""
    return (
        who.browser
        and program.trust.browser_referrals == REFERRALS_BY_CLICK
        and bool(request.code)
        and request.click is None
        and not request.by_customer
    )


def _touchpoints(
    ctx: Context, program: Program, request: ConversionRequest, visitor: str, wanted: bool
) -> list[Touch]:
    """The visitor's clicks, when the model or a fraud rule (`wanted`) needs them (one query):
    any model but last_click, or a conversion that names no referrer. The click id's visitor
    is the one who clicked; the pixel's is whoever loaded it."""
    if request.code and program.incentives.attribution_model == "last_click" and not wanted:
        return []
    who = (request.click.visitor if request.click else "") or visitor
    return ctx.store.clicks.touchpoints(who) if who else []


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
    if request.code and (model.name == "last_click" or request.by_customer or request.by_discount):
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


def _channel(request: ConversionRequest, code: str) -> str:
    """Where the converting referral came through: the click's share channel, or `code` for
    a purchase made with the referrer's discount code."""
    if not code:
        return ""
    if request.by_discount and code == request.code:
        return DISCOUNT_CHANNEL
    return request.click.channel if request.click else ""


def converter_of(
    ctx: Context,
    program: Program,
    request: ConversionRequest,
    visitor: str,
    source: str,
    user_agent: str,
) -> Converter:
    """Who converts, hashed: a customer id that is an email counts as their email too."""
    email = request.email or (request.customer_id if "@" in request.customer_id else "")
    canonical = canonical_email(email) if email else ""
    return Converter(
        source=source,
        visitor=visitor,
        identity=ctx.signer.identity_key(program.id, canonical) if canonical else "",
        customer=(
            "c" + ctx.signer.customer_key(program.id, request.customer_id)
            if request.customer_id
            else ""
        ),
        user_agent=user_agent,
        email=email,
    )


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
