"""Admin keys (write keys only) and a person's data (export with any key, forget with a write
key), per program."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.privacy.person import export_person, forget_person
from ..domain.trust import admin_keys as admin
from ..observability import metrics
from .deps import context
from .http import json_response, links, maps_errors, read_json, reject_unknown_fields
from .schedule import outbound

bp = Blueprint(__name__)


@bp.route("/v1/programs/{program}/keys", methods=["POST"])
@maps_errors
def create_key(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    ctx.catalogue.get(program)
    caller = admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body = read_json(request)
    reject_unknown_fields(body, ("name", "scope"))
    key, record = admin.create_key(
        ctx.store, caller, program, body.get("name"), body.get("scope", "write"), ctx.clock.now()
    )
    return json_response({"key": key, **admin.key_view(record)}, 201)


@bp.route("/v1/programs/{program}/keys", methods=["GET"])
@maps_errors
def list_keys(program: str) -> Response:
    ctx = context()
    ctx.catalogue.get(program)
    admin.authorize(ctx.store, bp.current_request.headers.get("authorization"), program, write=True)
    return json_response({"keys": [admin.key_view(k) for k in admin.keys_of(ctx.store, program)]})


@bp.route("/v1/programs/{program}/keys/{key_id}/revoke", methods=["POST"])
@maps_errors
def revoke_key(program: str, key_id: str) -> Response:
    ctx = context()
    ctx.catalogue.get(program)
    headers = bp.current_request.headers
    caller = admin.authorize(ctx.store, headers.get("authorization"), program, write=True)
    revoked = admin.revoke_key(ctx.store, caller, program, key_id, ctx.clock.now())
    return json_response(admin.key_view(revoked))


@bp.route("/v1/programs/{program}/people/export", methods=["POST"])
@maps_errors
def export(program: str) -> Response:
    """POST, so the email travels in the body rather than in URLs and access logs."""
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=False)
    body = read_json(request)
    reject_unknown_fields(body, ("email",))
    data = export_person(ctx, found, body.get("email"), links(request))
    return json_response(data, headers={"Cache-Control": "no-store"})


@bp.route("/v1/programs/{program}/people/forget", methods=["POST"])
@maps_errors
def forget(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body = read_json(request)
    reject_unknown_fields(body, ("email",))
    summary = forget_person(ctx, found, body.get("email"), outbound())
    metrics.add_metric(name="PeopleForgotten", unit="Count", value=1)
    return json_response(summary)
