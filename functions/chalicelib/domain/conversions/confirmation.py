"""Trusted reports of conversions: the conversions API with a key, a signed conversion, and the
Stripe and Shopify webhooks (domain/payments/) all call `record_trusted_conversion`, the same
way.

A conversion a visitor's browser reported (pixel, beacon) is a claim: it counts at once, but
the rewards it earns wait (docs/security.md). A trusted report of the same (program, event,
order id) confirms it, exactly once: in one transaction, conditional on the claim still being
unconfirmed, the conversion becomes the trusted report, its counters move by the difference,
and its rewards become what the trusted report earns (approved, or held by `hold_days`).

The trusted report is the truth. When it names another referrer, the claim's referrer loses
the conversion (counters, referral count) and its waiting rewards are voided; when it names
none, the claim's referrer stands. Amounts and currency are the trusted report's, so rewards
that depend on them (a percentage, a minimum amount) end as it says. What the claim already
settled for its customer (first purchase or not, the reward limit it counted) stands.
"""

from __future__ import annotations

from dataclasses import replace

from ...model.currencies import minor_digits
from ...model.errors import InvalidInputError, UnavailableError
from ...model.ledger import (
    ConversionEffects,
    Credit,
    EffectsRejectedError,
    Tally,
)
from ...model.program import Program
from ...model.records import Conversion, CustomerProfile
from ...model.statuses import RECORDED, REVIEW
from ..context import Context
from ..referrals.discounts import DISCOUNT_CHANNEL, discount_owner
from ..rewards.engine import ConversionPlan
from ..trust.fraud import BROWSER_SOURCES, flags_from, identity_guard, screen
from .attribution import split_amount
from .customers import CustomerPurchases, referred_customer
from .flow import attribute_conversion, converter_of
from .input import NO_REFERRAL, ConversionRequest
from .reissue import settle_claim_rewards
from .views import conversion_view

_ROUNDS = 25


def record_trusted_conversion(
    ctx: Context,
    program: Program,
    request: ConversionRequest,
    *,
    by: str = "api",
    rate: Tally | None = None,
) -> tuple[Conversion, bool]:
    """Record a conversion from a trusted path (`by`: api, or a webhook's provider), or
    confirm the browser's claim of the same order; (conversion, recorded or confirmed by
    this call). A report that names no referrer only confirms a claim (400 when there is
    none), unless it is a webhook's paid order (`request.organic`): that is recorded organic,
    open to a later report of the order that names a referrer. A repeat changes nothing and
    answers with the conversion as it is."""
    if not request.code and not request.by_customer:
        known = _order_of(ctx, program, request)
        if known is None and request.organic:
            return attribute_conversion(ctx, program, request, source=by, rate=rate)
        if known is None:
            raise InvalidInputError(NO_REFERRAL)
        if not known.unverified or (request.organic and known.source not in BROWSER_SOURCES):
            return known, False  # confirmed (or reported by a trusted path) before
        return confirm_claim(ctx, program, known, request, by=by)
    stored, created = attribute_conversion(ctx, program, request, source=by, rate=rate)
    if created or not stored.unverified:
        return stored, created
    return confirm_claim(ctx, program, stored, request, by=by)


def confirm_claim(
    ctx: Context, program: Program, claim: Conversion, request: ConversionRequest, *, by: str
) -> tuple[Conversion, bool]:
    """The claim as the trusted report makes it (see the module's docstring); (conversion,
    confirmed by this call). A claim confirmed meanwhile, or refunded or rejected, is
    answered as it is."""
    now = ctx.clock.now()
    code = _code(ctx, program, claim, request)
    customer = _customer(ctx, program, claim, request)
    who = converter_of(ctx, program, request, "", by, "")
    plan = ConversionPlan(ctx, program, customer_key=customer, view=conversion_view)
    # An organic claim settled nothing for its customer: the trusted report counts them.
    same_customer = customer == claim.customer and not claim.organic
    if same_customer:
        plan.not_first_purchase = any(note.endswith(":not_first_purchase") for note in claim.notes)
        plan.repeat = _before(program, claim)
    if code == claim.code:
        plan.limit_reached = any(note.endswith(":limit_reached") for note in claim.notes)
    purchases = CustomerPurchases(
        ctx, program, customer, wanted=claim.event == "purchase" and not same_customer
    )
    guard = identity_guard(program, who)
    learned: list[str] = []
    current = {reward.reward_id: reward for reward in claim.rewards}  # as issued: pending
    for _ in range(_ROUNDS):
        if claim.status not in (RECORDED, REVIEW) or not claim.unverified:
            return claim, False
        if not same_customer:
            plan.repeat = purchases.prior
        flags = (screen(program, who, code, True, [], now) + learned) if code else []
        trusted = _trusted(program, claim, request, code, by, now, flags)
        trusted = replace(trusted, successful=trusted.successful and plan.repeat is None)
        counted = _counts(claim) and code == claim.code and not flags
        if flags or not code:
            confirmed, effects = trusted, ConversionEffects()
        else:
            confirmed, effects = plan.build(trusted, now, counted=counted)
            effects = replace(effects, identity_guard=guard)
            if same_customer:
                effects = replace(effects, first_purchase="")
            else:
                confirmed, effects = purchases.count(confirmed, effects)
            if code == claim.code:
                effects = replace(effects, limit=None)
        confirmed, effects, changes = settle_claim_rewards(
            program, plan, claim, confirmed, effects, current, counted, now
        )
        try:
            stored, done = ctx.store.conversions.confirm_conversion(
                claim, confirmed, effects, changes
            )
        except EffectsRejectedError as exc:
            found = exc.rejection
            if not flags:
                learned += [f for f in flags_from(found, guard) if f not in learned]
            plan.learn(found)
            purchases.learn(found)
            claim = (
                ctx.store.conversions.get_conversion(program.id, claim.event, claim.order_id)
                or claim
            )
            continue
        if done:
            return stored, True
        claim = stored
    raise UnavailableError("Too many concurrent updates of this order; try again.")


def _trusted(
    program: Program,
    claim: Conversion,
    request: ConversionRequest,
    code: str,
    by: str,
    now: float,
    flags: list[str],
) -> Conversion:
    """The claim with what the trusted report says: its referrer, amount and currency (the
    claim's credit shares stay when the referrer is the same)."""
    currency = request.currency if request.amount else ""
    same = code == claim.code
    credits: tuple[Credit, ...] = ()
    if same and claim.credits:
        parts = split_amount(request.amount, list(claim.credits), minor_digits(currency))
        credits = tuple(
            replace(c, revenue=part) for c, part in zip(claim.credits, parts, strict=True)
        )
    return replace(
        claim,
        code=code,
        amount=request.amount,
        currency=currency,
        credits=credits,
        click_id=request.click_id or (claim.click_id if same else ""),
        channel=claim.channel if same else DISCOUNT_CHANNEL if _by_discount(claim, request) else "",
        discount_code=request.discount_code or claim.discount_code,
        page=claim.page if same else "",
        successful=bool(code) and claim.event == program.success_event,
        status=REVIEW if flags else RECORDED,
        flags=tuple(flags),
        rewards=(),
        notes=(),
        unverified=False,
        confirmed_by=by,
        confirmed_at=now,
    )


def _counts(claim: Conversion) -> bool:
    """The claim added one to its referrer's successful referrals."""
    return claim.status == RECORDED and claim.successful


def _code(ctx: Context, program: Program, claim: Conversion, request: ConversionRequest) -> str:
    """The referrer the trusted report names (a known customer's, for `customer_id` alone),
    else the claim's."""
    if request.by_customer:
        customer = "c" + ctx.signer.customer_key(program.id, request.customer_id)
        return referred_customer(ctx, program, customer).code
    if request.code or claim.code or not claim.discount_code:
        return request.code or claim.code
    return discount_owner(ctx, program, claim.discount_code)  # a browser kept only the code


def _by_discount(claim: Conversion, request: ConversionRequest) -> bool:
    """The referrer comes from a discount code: the report's, or the one the claim kept."""
    return request.by_discount or (not request.code and bool(claim.discount_code))


def _before(program: Program, claim: Conversion) -> CustomerProfile | None:
    """The claim's customer as they were before it, when it was one of their repeat
    purchases (the claim counted it)."""
    if claim.event != "purchase" or claim.customer_seq < 2:
        return None
    first = claim.customer_first_at or claim.created_at
    return CustomerProfile(program.id, claim.customer, claim.code, first, claim.customer_seq - 1)


def _customer(ctx: Context, program: Program, claim: Conversion, request: ConversionRequest) -> str:
    if request.customer_id:
        return "c" + ctx.signer.customer_key(program.id, request.customer_id)
    return claim.customer


def _order_of(ctx: Context, program: Program, request: ConversionRequest) -> Conversion | None:
    """The conversion already recorded for the order a report names, if there is one."""
    if not request.order_id:
        return None
    return ctx.store.conversions.get_conversion(program.id, request.event, request.order_id)
