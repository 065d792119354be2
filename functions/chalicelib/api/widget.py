"""What the widget calls without credentials: the QR code of a referral link, the referrer's
first name for a friend's landing banner, and the browser's conversion beacon."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.conversions.input import API_FIELDS
from ..domain.conversions.views import public_conversion_view
from ..domain.referrals.sharing import public_referrer, qr_svg, share_code
from .cors import browser_write, cors_headers
from .deps import context
from .http import JSON_TYPES, json_response, links, maps_errors
from .recorder import BrowserClaim, record_conversion

bp = Blueprint(__name__)

# The image depends only on the code and the API's address: cache it for a year.
QR_HEADERS = {
    "Content-Type": "image/svg+xml",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


@bp.route("/v1/programs/{program}/codes/{code}", methods=["GET"])
@maps_errors
def get_code(program: str, code: str) -> Response:
    ctx = context()
    body = public_referrer(ctx, program, code)
    found = ctx.catalogue.get(program)
    headers = {"Cache-Control": "public, max-age=300", **cors_headers(bp.current_request, found)}
    return json_response(body, headers=headers)


@bp.route("/v1/programs/{program}/codes/{code}/qr.svg", methods=["GET"])
@maps_errors
def get_qr_code(program: str, code: str) -> Response:
    """No database request: the QR code encodes the public link, whether or not the code
    exists (an unknown code's link explains itself when followed)."""
    found = context().catalogue.get(program)
    link = links(bp.current_request).referral_link(share_code(code)) + "?ch=qr"
    headers: dict[str, str | list[str]] = {**QR_HEADERS, **cors_headers(bp.current_request, found)}
    return Response(body=qr_svg(link), status_code=200, headers=headers)


@bp.route("/v1/programs/{program}/beacon", methods=["POST"], content_types=JSON_TYPES)
@maps_errors
def conversion_beacon(program: str) -> Response:
    """`navigator.sendBeacon` from a thank-you page: a text/plain JSON body (a "simple"
    request, so no CORS preflight). Same rules and idempotency as the conversions API."""
    request = bp.current_request
    ctx, found, body = browser_write(request, program, API_FIELDS)
    claim = BrowserClaim(request, source="beacon")
    conversion, created = record_conversion(ctx, found, body, claim)
    return json_response(
        public_conversion_view(conversion),
        201 if created else 200,
        headers=cors_headers(request, found),
    )
