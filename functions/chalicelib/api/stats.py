"""GET /v1/stats/{token}: a referrer's private numbers, one query."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.stats import stats_for_token
from .deps import context
from .http import json_response, links, maps_errors

bp = Blueprint(__name__)


@bp.route("/v1/stats/{token}", methods=["GET"], cors=True)
@maps_errors
def get_stats(token: str) -> Response:
    request = bp.current_request
    body = stats_for_token(context(), token, links(request))
    return json_response(body, headers={"Cache-Control": "private, no-store"})
