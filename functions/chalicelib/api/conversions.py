"""Conversions: the tracking pixel (browser) and the server-to-server API (admin key)."""

from __future__ import annotations

import base64
from typing import Any

from chalice.app import Blueprint, Response

from ..domain.conversions.flow import (
    API_FIELDS,
    attribute_conversion,
    check_conversion_signature,
    conversion_view,
    parse_conversion,
)
from ..domain.trust import admin_keys as admin
from ..domain.trust.ratelimits import rate_tally
from ..model.errors import ReferbeeError, UnavailableError
from ..observability import logger, metrics
from .deps import context
from .http import (
    client_ip,
    json_response,
    maps_errors,
    query,
    read_json,
    reject_unknown_fields,
    user_agent,
)
from .rewards import track_rewards

bp = Blueprint(__name__)

# The smallest transparent GIF (42 bytes).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
PIXEL_PARAMS = {
    "event": "event",
    "order": "order_id",
    "amount": "amount",
    "currency": "currency",
    "ref": "ref",
    "click": "click_id",
    "sig": "signature",
}


@bp.route("/p.gif", methods=["GET"])
def pixel() -> Response:
    """Always a GIF, whatever the input: a broken pixel must never show on a thank-you page.
    Valid input records a conversion; anything else records nothing."""
    request = bp.current_request
    params = query(request)
    try:
        ctx = context()
        program = ctx.catalogue.get(params.get("program", ""))
        data: dict[str, Any] = {
            field: params[name] for name, field in PIXEL_PARAMS.items() if name in params
        }
        conversion = parse_conversion(ctx, program, data, referral_optional=True)
        check_conversion_signature(program, conversion)
        agent = user_agent(request)
        visitor = ctx.signer.visitor_hash(client_ip(request), agent)
        recorded, created = attribute_conversion(
            ctx,
            program,
            conversion,
            visitor=visitor,
            source="pixel",
            user_agent=agent,
            rate=rate_tally(program, "convert", visitor, ctx.clock.now()),
        )
        if created:
            track_rewards(recorded)
    except UnavailableError as exc:
        logger.warning("pixel conversion lost: database unavailable", exc_info=exc)
        metrics.add_metric(name="PixelConversionsLost", unit="Count", value=1)
    except ReferbeeError as exc:
        logger.info("pixel ignored", extra={"reason": exc.message})
    return Response(
        body=PIXEL,
        status_code=200,
        headers={"Content-Type": "image/gif", "Cache-Control": "no-store, max-age=0"},
    )


@bp.route("/v1/programs/{program}/conversions", methods=["POST"])
@maps_errors
def create_conversion(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    key = admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body = read_json(request)
    reject_unknown_fields(body, API_FIELDS)
    conversion, created = attribute_conversion(
        ctx,
        found,
        parse_conversion(ctx, found, body, by_customer=True),
        rate=rate_tally(found, "api", key.key_id, ctx.clock.now()),
    )
    if created:
        track_rewards(conversion)
    return json_response(conversion_view(conversion), 201 if created else 200)
