"""Program info and referral code issuance: what the widget calls for a logged-in customer."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain import admin
from ..domain.referrers import issue_code, referrer_view
from .deps import context
from .http import JSON_TYPES, json_response, links, maps_errors, read_json, reject_unknown_fields

bp = Blueprint(__name__)

REFERRER_FIELDS = ("email", "name", "signature")


@bp.route("/v1/programs/{program}", methods=["GET"], cors=True)
@maps_errors
def get_program(program: str) -> Response:
    found = context().catalogue.get(program)
    return json_response(found.public(), headers={"Cache-Control": "public, max-age=60"})


@bp.route("/v1/programs/{program}/referrers", methods=["POST"], cors=True, content_types=JSON_TYPES)
@maps_errors
def create_referrer(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    ctx.catalogue.get(program)
    body = read_json(request)
    reject_unknown_fields(body, REFERRER_FIELDS)
    is_admin = admin.is_admin(ctx.store, request.headers.get("authorization"), program)
    referrer, created = issue_code(ctx, program, body, is_admin=is_admin)
    return json_response(referrer_view(ctx, referrer, links(request)), 201 if created else 200)
