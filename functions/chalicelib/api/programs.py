"""Program info and referral code issuance: what the widget calls for a logged-in customer,
and the program page's join form."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from ..domain.access.joining import join
from ..domain.config.fields import LOCALE_RE
from ..domain.referrals.referrers import issue_code, referrer_view
from ..domain.trust import admin_keys as admin
from ..domain.trust.ratelimits import check_rate
from ..model.errors import InvalidInputError
from ..model.program import Program
from .cors import browser_write, cors_headers
from .deps import context
from .http import (
    JSON_TYPES,
    client_ip,
    json_response,
    links,
    maps_errors,
    query,
    user_agent,
)

bp = Blueprint(__name__)

REFERRER_FIELDS = ("email", "name", "signature")


@bp.route("/v1/programs/{program}", methods=["GET"])
@maps_errors
def get_program(program: str) -> Response:
    found = context().catalogue.get(program)
    request = bp.current_request
    params = query(request)
    locale = params.get("locale", "")
    if "locale" in params and not LOCALE_RE.fullmatch(locale):
        raise InvalidInputError("'locale' must be a language tag like fr, de or pt-BR.")
    headers = {"Cache-Control": "public, max-age=60", **cors_headers(request, found)}
    return json_response(found.public(locale), headers=headers)


@bp.route("/v1/programs/{program}/referrers", methods=["POST"], content_types=JSON_TYPES)
@maps_errors
def create_referrer(program: str) -> Response:
    """A trusted caller (an admin key, or a valid signature where the program has an
    identity_secret) gets the private stats token; anyone else only the code and the link,
    the same answer for a new and a known email, while the stats link goes to the address
    by email (docs/security.md). A program with an identity_secret lets unsigned callers
    join that way too when it sends emails (its program page's join form); a wrong
    signature is refused."""
    request = bp.current_request
    ctx, found, body = browser_write(request, program, REFERRER_FIELDS)
    is_admin = admin.is_admin(ctx.store, request.headers.get("authorization"), program)
    visitor = ctx.signer.visitor_hash(client_ip(request), user_agent(request))
    if not is_admin:
        check_rate(ctx.store, ctx.clock, found, "issue", visitor)
    headers = cors_headers(request, found)
    if not is_admin and _joins_by_email(found, body):
        return json_response(join(ctx, found, body, visitor, links(request)), headers=headers)
    referrer, created = issue_code(ctx, program, body, is_admin=is_admin, visitor=visitor)
    return json_response(
        referrer_view(ctx, referrer, links(request)), 201 if created else 200, headers=headers
    )


def _joins_by_email(program: Program, body: dict[str, Any]) -> bool:
    """Nobody vouches for the caller: the program has no identity_secret, or the caller sent
    no signature and the program can email the stats link instead."""
    if program.identity_secret is None:
        return True
    return not body.get("signature") and program.incentives.emails is not None
