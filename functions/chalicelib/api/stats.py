"""GET /v1/stats/{token}: a referrer's private numbers, one query and no write."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.analytics.stats import stats_for_token
from .cors import cors_headers
from .deps import context, stats_limiter
from .http import client_ip, json_response, links, maps_errors, user_agent

bp = Blueprint(__name__)


@bp.route("/v1/stats/{token}", methods=["GET"])
@maps_errors
def get_stats(token: str) -> Response:
    request = bp.current_request
    ctx = context()
    if ctx.signer.read_stats_token(token) is not None:
        # A forged token is refused below without any request; a genuine one is counted, in
        # this container (no write). A stats link names no program before the database is
        # read: the first program's limit applies to every stats view.
        visitor = ctx.signer.visitor_hash(client_ip(request), user_agent(request))
        stats_limiter().check(ctx.clock, ctx.catalogue.default, "stats", visitor)
    body = stats_for_token(ctx, token, links(request))
    program = ctx.catalogue.programs.get(body["program"])
    headers = {"Cache-Control": "private, no-store", **cors_headers(request, program)}
    return json_response(body, headers=headers)
