"""Conversions: the tracking pixel (browser) and the server-to-server API (admin key)."""

from __future__ import annotations

import base64
from typing import Any

from chalice.app import Blueprint, Request, Response

from ..domain.conversions.input import API_FIELDS
from ..domain.conversions.views import conversion_view
from ..model.errors import ReferbeeError, UnavailableError
from ..observability import logger, metrics
from .admin import AdminCall, admin_route
from .deps import context
from .http import json_response, query, read_json, reject_unknown_fields
from .recorder import BrowserClaim, record_conversion

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
    return answer_pixel(bp.current_request)


def answer_pixel(request: Request) -> Response:
    """Always a GIF, whatever the input: a broken pixel must never show on a thank-you page.
    Valid input records a conversion; anything else records nothing. The REST API's route
    above and the click function's URL (api/function_url.py) both answer with this."""
    params = query(request)
    try:
        ctx = context()
        program = ctx.catalogue.get(params.get("program", ""))
        data: dict[str, Any] = {
            field: params[name] for name, field in PIXEL_PARAMS.items() if name in params
        }
        claim = BrowserClaim(request, source="pixel")
        record_conversion(ctx, program, data, claim, referral_optional=True)
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


@admin_route(
    bp, "/v1/programs/{program}/conversions", methods=["POST"], write=True, rate_limited=True
)
def create_conversion(call: AdminCall) -> Response:
    body = read_json(call.request)
    reject_unknown_fields(body, API_FIELDS)
    conversion, created = record_conversion(call.ctx, call.program, body, call)
    return json_response(conversion_view(conversion), 201 if created else 200)
