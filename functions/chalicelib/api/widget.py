"""What the widget calls without credentials: the QR code of a referral link, the referrer's
first name for a friend's landing banner, and the browser's conversion beacon."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.conversions import API_FIELDS, attribute_conversion, conversion_view, parse_conversion
from ..domain.sharing import public_referrer, qr_svg, share_code
from ..observability import metrics
from .deps import context
from .http import (
    JSON_TYPES,
    client_ip,
    json_response,
    links,
    maps_errors,
    read_json,
    reject_unknown_fields,
    user_agent,
)

bp = Blueprint(__name__)

# The image depends only on the code and the API's address: cache it for a year.
QR_HEADERS = {
    "Content-Type": "image/svg+xml",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


@bp.route("/v1/programs/{program}/codes/{code}", methods=["GET"], cors=True)
@maps_errors
def get_code(program: str, code: str) -> Response:
    body = public_referrer(context(), program, code)
    return json_response(body, headers={"Cache-Control": "public, max-age=300"})


@bp.route("/v1/programs/{program}/codes/{code}/qr.svg", methods=["GET"], cors=True)
@maps_errors
def get_qr_code(program: str, code: str) -> Response:
    """No database request: the QR code encodes the public link, whether or not the code
    exists (an unknown code's link explains itself when followed)."""
    context().catalogue.get(program)
    link = links(bp.current_request).referral_link(share_code(code)) + "?ch=qr"
    return Response(body=qr_svg(link), status_code=200, headers=dict(QR_HEADERS))


@bp.route("/v1/programs/{program}/beacon", methods=["POST"], cors=True, content_types=JSON_TYPES)
@maps_errors
def conversion_beacon(program: str) -> Response:
    """`navigator.sendBeacon` from a thank-you page: a text/plain JSON body (a "simple"
    request, so no CORS preflight). Same rules and idempotency as the conversions API."""
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    body = read_json(request)
    reject_unknown_fields(body, API_FIELDS)
    visitor = ctx.signer.visitor_hash(client_ip(request), user_agent(request))
    conversion, created = attribute_conversion(
        ctx, found, parse_conversion(ctx, found, body), visitor=visitor
    )
    if created:
        metrics.add_metric(name="Conversions", unit="Count", value=1)
    return json_response(conversion_view(conversion), 201 if created else 200)
