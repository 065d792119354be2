"""One conversion recorder for the pixel, the beacon and the conversions API: each route reads
its input and shapes its own answer; reading, checking, attributing and reporting a
conversion happen here, the same way for all three."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalice.app import Request

from ..domain.context import Context
from ..domain.conversions.confirmation import confirm_claim, record_trusted_conversion
from ..domain.conversions.flow import attribute_conversion
from ..domain.conversions.input import check_conversion_signature, parse_conversion
from ..domain.trust.ratelimits import rate_tally
from ..model.ledger import COUPON_POOL_EMPTY
from ..model.program import Program
from ..model.records import Conversion
from ..observability import logger, metrics
from .admin import AdminCall
from .http import client_ip, user_agent


@dataclass(frozen=True)
class BrowserClaim:
    """A conversion a visitor's browser reports (`source`: pixel or beacon): signed when the
    program requires it, identified by the visitor hash, counted against the visitor's rate
    limit, and earning only pending rewards until a trusted path confirms."""

    request: Request
    source: str


def record_conversion(
    ctx: Context,
    program: Program,
    data: Mapping[str, Any],
    sender: BrowserClaim | AdminCall,
    *,
    referral_optional: bool = False,
) -> tuple[Conversion, bool]:
    """Parse, check and attribute a conversion; (conversion, recorded or confirmed now). An
    AdminCall is the trusted server-to-server API: no signature, a later purchase may name
    only its customer, and an order a browser reported is confirmed (it may then name no
    referrer). A browser conversion signed by the site's server is trusted too.
    `referral_optional`: see parse_conversion."""
    if isinstance(sender, AdminCall):
        claim = parse_conversion(ctx, program, data, by_customer=True, referral_optional=True)
        recorded, created = record_trusted_conversion(ctx, program, claim, rate=sender.rate)
    else:
        claim = parse_conversion(ctx, program, data, referral_optional=referral_optional)
        signed = check_conversion_signature(program, claim)
        agent = user_agent(sender.request)
        visitor = ctx.signer.visitor_hash(client_ip(sender.request), agent)
        recorded, created = attribute_conversion(
            ctx,
            program,
            claim,
            visitor=visitor,
            source=sender.source,
            user_agent=agent,
            rate=rate_tally(program, "convert", visitor, ctx.clock.now()),
            verified=signed,
        )
        if signed and recorded.unverified:
            recorded, created = confirm_claim(ctx, program, recorded, claim, by="signed")
    if created:
        metrics.add_metric(name="Conversions", unit="Count", value=1)
        track_rewards(recorded)
    return recorded, created


def track_rewards(conversion: Conversion) -> None:
    """Metrics and logs for what a new conversion issued; the marketer learns of an empty
    coupon pool here (log, metric), in `referbee coupons status` and in reward webhooks."""
    if conversion.rewards:
        metrics.add_metric(name="RewardsIssued", unit="Count", value=len(conversion.rewards))
    for reward in conversion.rewards:
        if reward.reason == COUPON_POOL_EMPTY:
            metrics.add_metric(name="CouponPoolEmpty", unit="Count", value=1)
            logger.warning(
                "coupon pool is empty: reward is pending",
                extra={"program": reward.program, "pool": reward.pool, "reward": reward.reward_id},
            )
