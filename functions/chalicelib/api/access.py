"""Sign-in links (public: asked for from the program site and confirmed by its sign-in page)
and stats token rotation (admin API)."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.access.rotation import rotate_stats_token
from ..domain.access.signin import confirm_signin, send_signin_link
from .admin import AdminCall, admin_route
from .cors import browser_write, cors_headers
from .http import (
    JSON_TYPES,
    client_ip,
    json_response,
    links,
    maps_errors,
    read_json,
    reject_unknown_fields,
)

bp = Blueprint(__name__)

PRIVATE = {"Cache-Control": "no-store"}


@bp.route("/v1/programs/{program}/signin", methods=["POST"], content_types=JSON_TYPES)
@maps_errors
def ask_for_signin_link(program: str) -> Response:
    request = bp.current_request
    ctx, found, body = browser_write(request, program, ("email",))
    # The client's address alone: a user agent is the caller's to change at will.
    client = ctx.signer.visitor_hash(client_ip(request), "")
    answer = send_signin_link(ctx, found, body, client)
    return json_response(answer, 202, headers={**PRIVATE, **cors_headers(request, found)})


@bp.route("/v1/programs/{program}/signin/confirm", methods=["POST"], content_types=JSON_TYPES)
@maps_errors
def confirm_signin_link(program: str) -> Response:
    request = bp.current_request
    ctx, found, body = browser_write(request, program, ("token",))
    answer = confirm_signin(ctx, found, body, links(request))
    return json_response(answer, headers={**PRIVATE, **cors_headers(request, found)})


@admin_route(bp, "/v1/programs/{program}/referrers/rotate-token", methods=["POST"], write=True)
def rotate_token(call: AdminCall) -> Response:
    body = read_json(call.request)
    reject_unknown_fields(body, ("email", "ref"))
    answer = rotate_stats_token(call.ctx, call.program, body, links(call.request))
    return json_response(answer, headers=PRIVATE)
