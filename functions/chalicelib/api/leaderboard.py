"""GET /v1/programs/{program}/leaderboard: the public board, masked names only."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.analytics.leaderboard import leaderboard_view
from .cors import cors_headers
from .deps import context
from .http import json_response, maps_errors, query

bp = Blueprint(__name__)


@bp.route("/v1/programs/{program}/leaderboard", methods=["GET"])
@maps_errors
def get_leaderboard(program: str) -> Response:
    request = bp.current_request
    token = query(request).get("t") or None
    ctx = context()
    body = leaderboard_view(ctx, program, token)
    # With a token the answer names the viewer's rank: it must not sit in a shared cache.
    cache = "private, no-store" if token else "public, max-age=60"
    headers = {"Cache-Control": cache, **cors_headers(request, ctx.catalogue.get(program))}
    return json_response(body, headers=headers)
