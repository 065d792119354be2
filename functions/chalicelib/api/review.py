"""The review queue for marketers (admin key): flagged conversions, approve and reject."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice.app import Blueprint, Response

from ..domain.analytics.held import reason_label
from ..domain.conversions.review import approve, list_review, reject
from ..domain.conversions.views import conversion_view, review_id
from ..model.records import Conversion
from ..observability import metrics
from .admin import AdminCall, admin_route
from .analytics import CORS
from .http import json_response, query, read_json, reject_unknown_fields, whole_number
from .recorder import track_rewards

bp = Blueprint(__name__)


# The dashboard (on the site's origin) reads the queue's size with the key it holds.
@admin_route(bp, "/v1/programs/{program}/reviews", methods=["GET"], write=False, cors=CORS)
def list_reviews(call: AdminCall) -> Response:
    params = query(call.request)
    limit = whole_number(params.get("limit"), "limit", 100, 1000)
    items = list_review(call.ctx, call.program, params.get("status", "review"), limit)
    return json_response({"reviews": [_view(c) for c in items]})


@admin_route(bp, "/v1/programs/{program}/reviews/{review}/approve", methods=["POST"], write=True)
def approve_review(call: AdminCall, review: str) -> Response:
    body = _optional_body(call)
    reject_unknown_fields(body, ("note",))
    note = str(body.get("note", ""))
    conversion, approved = approve(call.ctx, call.program, unquote(review), call.key.name, note)
    if approved:
        metrics.add_metric(name="ReviewsApproved", unit="Count", value=1)
        track_rewards(conversion)
    return json_response(_view(conversion))


@admin_route(bp, "/v1/programs/{program}/reviews/{review}/reject", methods=["POST"], write=True)
def reject_review(call: AdminCall, review: str) -> Response:
    body = _optional_body(call)
    reject_unknown_fields(body, ("reason",))
    reason = body.get("reason")
    conversion, _ = reject(
        call.ctx,
        call.program,
        unquote(review),
        call.key.name,
        reason if isinstance(reason, str) else "",
    )
    return json_response(_view(conversion))


def _view(conversion: Conversion) -> dict[str, Any]:
    reasons = [{"flag": flag, "label": reason_label(flag)} for flag in conversion.flags]
    return {"id": review_id(conversion), **conversion_view(conversion), "reasons": reasons}


def _optional_body(call: AdminCall) -> dict[str, Any]:
    request = call.request
    return read_json(request) if (request.raw_body or b"").strip() else {}
