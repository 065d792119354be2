"""CORS per program: the browser's Origin is answered (named in Access-Control-Allow-Origin)
only when the program lists it, and write routes refuse other origins outright.

Chalice's own `cors=True` is static (the same `*` for every program), and API Gateway answers
its preflights itself; so these routes declare no Chalice CORS, and their OPTIONS requests
reach the function (`preflight`), which answers per program. No database request is made:
the origins come from the program's config."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Request, Response

from ..domain.context import Context
from ..domain.trust.origins import any_program_allows, origin_allowed
from ..model.errors import ForbiddenError, NotFoundError
from ..model.program import Program
from .deps import context, settings
from .http import read_json, reject_unknown_fields

bp = Blueprint(__name__)

PREFLIGHT_MAX_AGE = "7200"  # Chromium caps it at 2 hours


def cors_headers(request: Request, program: Program | None) -> dict[str, str]:
    """Headers that let the request's origin read the answer, if the program allows it."""
    origin = request.headers.get("origin")
    if not origin:
        return {}
    if program is None:
        allowed = any_program_allows(context().catalogue, origin, settings().site_url)
    else:
        allowed = origin_allowed(program, origin, settings().site_url)
    if not allowed:
        return {"Vary": "Origin"}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def check_browser_write(request: Request, program: Program) -> None:
    """A write from a browser page (it sends Origin) must come from one of the program's
    origins; server-side callers send no Origin and are not concerned."""
    origin = request.headers.get("origin")
    if origin and not origin_allowed(program, origin, settings().site_url):
        raise ForbiddenError(
            f"Pages on {origin[:80]} may not call program '{program.id}': add the origin to "
            "'origins' in referbee.yaml."
        )


def browser_write(
    request: Request, program: str, known: tuple[str, ...]
) -> tuple[Context, Program, dict[str, Any]]:
    """The context, program and JSON body of a write that a browser may send (code issuance,
    the beacon): an unknown program is a 404, a foreign origin a 403, then the body is read
    and may hold only `known` fields."""
    ctx = context()
    found = ctx.catalogue.get(program)
    check_browser_write(request, found)
    body = read_json(request)
    reject_unknown_fields(body, known)
    return ctx, found, body


@bp.route("/v1/programs/{program}", methods=["OPTIONS"])
def program_preflight(program: str) -> Response:
    return preflight(program, "GET")


@bp.route("/v1/programs/{program}/referrers", methods=["OPTIONS"])
def referrers_preflight(program: str) -> Response:
    return preflight(program, "POST")


@bp.route("/v1/programs/{program}/signin", methods=["OPTIONS"])
def signin_preflight(program: str) -> Response:
    return preflight(program, "POST")


@bp.route("/v1/programs/{program}/signin/confirm", methods=["OPTIONS"])
def signin_confirm_preflight(program: str) -> Response:
    return preflight(program, "POST")


@bp.route("/v1/programs/{program}/beacon", methods=["OPTIONS"])
def beacon_preflight(program: str) -> Response:
    return preflight(program, "POST")


@bp.route("/v1/programs/{program}/leaderboard", methods=["OPTIONS"])
def leaderboard_preflight(program: str) -> Response:
    return preflight(program, "GET")


@bp.route("/v1/programs/{program}/codes/{code}", methods=["OPTIONS"])
def code_preflight(program: str, code: str) -> Response:
    return preflight(program, "GET")


@bp.route("/v1/stats/{token}", methods=["OPTIONS"])
def stats_preflight(token: str) -> Response:
    return preflight(None, "GET")


def preflight(program_id: str | None, method: str) -> Response:
    request = bp.current_request
    program = None
    if program_id is not None:
        try:
            program = context().catalogue.get(program_id)
        except NotFoundError:
            return Response(body=b"", status_code=404, headers={"Vary": "Origin"})
    headers: dict[str, str | list[str]] = {**cors_headers(request, program)}
    if "Access-Control-Allow-Origin" in headers:
        headers.update(
            {
                "Access-Control-Allow-Methods": f"{method}, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
            }
        )
    return Response(body=b"", status_code=204, headers=headers)
