"""Admin keys (write keys only) and a person's data (export with any key, forget with a write
key), per program."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..domain.privacy.person import export_person, forget_person
from ..domain.trust.admin_keys import create_key as create_admin_key
from ..domain.trust.admin_keys import key_view, keys_of
from ..domain.trust.admin_keys import revoke_key as revoke_admin_key
from ..observability import metrics
from .admin import AdminCall, admin_route
from .http import json_response, links, read_json, reject_unknown_fields
from .schedule import outbound

bp = Blueprint(__name__)


@admin_route(bp, "/v1/programs/{program}/keys", methods=["POST"], write=True)
def create_key(call: AdminCall) -> Response:
    body = read_json(call.request)
    reject_unknown_fields(body, ("name", "scope"))
    ctx = call.ctx
    key, record = create_admin_key(
        ctx.store,
        call.key,
        call.program.id,
        body.get("name"),
        body.get("scope", "write"),
        ctx.clock.now(),
    )
    return json_response({"key": key, **key_view(record)}, 201)


@admin_route(bp, "/v1/programs/{program}/keys", methods=["GET"], write=True)
def list_keys(call: AdminCall) -> Response:
    return json_response({"keys": [key_view(k) for k in keys_of(call.ctx.store, call.program.id)]})


@admin_route(bp, "/v1/programs/{program}/keys/{key_id}/revoke", methods=["POST"], write=True)
def revoke_key(call: AdminCall, key_id: str) -> Response:
    ctx = call.ctx
    revoked = revoke_admin_key(ctx.store, call.key, call.program.id, key_id, ctx.clock.now())
    return json_response(key_view(revoked))


@admin_route(bp, "/v1/programs/{program}/people/export", methods=["POST"], write=False)
def export(call: AdminCall) -> Response:
    """POST, so the email travels in the body rather than in URLs and access logs."""
    body = read_json(call.request)
    reject_unknown_fields(body, ("email",))
    data = export_person(call.ctx, call.program, body.get("email"), links(call.request))
    return json_response(data, headers={"Cache-Control": "no-store"})


@admin_route(bp, "/v1/programs/{program}/people/forget", methods=["POST"], write=True)
def forget(call: AdminCall) -> Response:
    body = read_json(call.request)
    reject_unknown_fields(body, ("email",))
    summary = forget_person(call.ctx, call.program, body.get("email"), outbound())
    metrics.add_metric(name="PeopleForgotten", unit="Count", value=1)
    return json_response(summary)
