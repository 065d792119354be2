"""The review queue for marketers (admin key): flagged conversions, approve and reject."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice.app import Blueprint, Response

from ..domain.conversions.flow import conversion_view, review_id
from ..domain.conversions.review import approve, list_review, reject
from ..domain.trust import admin_keys as admin
from ..model.records import Conversion
from ..observability import metrics
from .deps import context
from .http import json_response, maps_errors, query, read_json, reject_unknown_fields
from .rewards import track_rewards

bp = Blueprint(__name__)


@bp.route("/v1/programs/{program}/reviews", methods=["GET"])
@maps_errors
def list_reviews(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=False)
    params = query(request)
    limit = _limit(params.get("limit"))
    items = list_review(ctx, found, params.get("status", "review"), limit)
    return json_response({"reviews": [_view(c) for c in items]})


@bp.route("/v1/programs/{program}/reviews/{review}/approve", methods=["POST"])
@maps_errors
def approve_review(program: str, review: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    key = admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body = _optional_body()
    reject_unknown_fields(body, ("note",))
    conversion, approved = approve(ctx, found, unquote(review), key.name, str(body.get("note", "")))
    if approved:
        metrics.add_metric(name="ReviewsApproved", unit="Count", value=1)
        track_rewards(conversion)
    return json_response(_view(conversion))


@bp.route("/v1/programs/{program}/reviews/{review}/reject", methods=["POST"])
@maps_errors
def reject_review(program: str, review: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    key = admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body = _optional_body()
    reject_unknown_fields(body, ("reason",))
    reason = body.get("reason")
    conversion, _ = reject(
        ctx, found, unquote(review), key.name, reason if isinstance(reason, str) else ""
    )
    return json_response(_view(conversion))


def _view(conversion: Conversion) -> dict[str, Any]:
    return {"id": review_id(conversion), **conversion_view(conversion)}


def _optional_body() -> dict[str, Any]:
    request = bp.current_request
    return read_json(request) if (request.raw_body or b"").strip() else {}


def _limit(raw: str | None) -> int:
    from .rewards import _limit as limit_of

    return limit_of(raw, 100, 1000)
