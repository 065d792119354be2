"""Program analytics for marketers (admin key, read scope is enough): the KPI report and the
referrers, conversions and rewards exports. `referbee report` and the admin dashboard both
read these routes, so every tool shows the same numbers."""

from __future__ import annotations

from datetime import date

from chalice.app import Blueprint, CORSConfig, Response

from ..domain.analytics.exports import MAX_ROWS, export_page, to_csv
from ..domain.analytics.periods import Period, parse_period, today_utc
from ..domain.analytics.report import MAX_TOP_REFERRERS, TOP_REFERRERS, program_report
from ..domain.trust import admin_keys as admin
from ..model.errors import InvalidInputError
from ..model.program import Program
from .deps import context
from .http import json_response, maps_errors, query, reject_unknown_fields

bp = Blueprint(__name__)

NEXT_CURSOR = "X-Referbee-Next-Cursor"
# The dashboard is served from the site's origin and sends the key in a header.
CORS = CORSConfig(
    allow_origin="*",
    allow_headers=["Authorization"],
    expose_headers=[NEXT_CURSOR, "Content-Disposition"],
    max_age=600,
)
PRIVATE = {"Cache-Control": "private, no-store"}
REPORT_PARAMS = ("since", "from", "to", "top")
EXPORT_PARAMS = ("since", "from", "to", "format", "status", "limit", "cursor")


@bp.route("/v1/programs/{program}/analytics", methods=["GET"], cors=CORS)
@maps_errors
def report(program: str) -> Response:
    found, params = _authorized(program, REPORT_PARAMS)
    today = today_utc(context().clock.now())
    period = _period(params, today)
    top = _whole(params.get("top"), "top", TOP_REFERRERS, MAX_TOP_REFERRERS)
    body = program_report(context(), found, period, today, top)
    return json_response(body, headers=PRIVATE)


@bp.route("/v1/programs/{program}/analytics/{export}", methods=["GET"], cors=CORS)
@maps_errors
def export(program: str, export: str) -> Response:
    found, params = _authorized(program, EXPORT_PARAMS)
    period = _period(params, today_utc(context().clock.now()))
    shape = params.get("format", "json")
    if shape not in ("json", "csv"):
        raise InvalidInputError("'format' must be json or csv.")
    page = export_page(
        context(),
        found,
        export,
        period=period,
        status=params.get("status"),
        limit=_whole(params.get("limit"), "limit", MAX_ROWS, MAX_ROWS),
        cursor=params.get("cursor"),
    )
    headers = dict(PRIVATE)
    if page.cursor:
        headers[NEXT_CURSOR] = page.cursor
    if shape == "json":
        return json_response({"rows": page.rows, "next": page.cursor}, headers=headers)
    csv_headers: dict[str, str | list[str]] = {
        **headers,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{found.id}-{export}.csv"',
    }
    body = to_csv(page.columns, page.rows).encode()
    return Response(body=body, status_code=200, headers=csv_headers)


def _authorized(program: str, known: tuple[str, ...]) -> tuple[Program, dict[str, str]]:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=False)
    params = query(request)
    reject_unknown_fields(dict(params), known)
    return found, params


def _period(params: dict[str, str], today: date) -> Period:
    return parse_period(params.get("since"), params.get("from"), params.get("to"), today)


def _whole(raw: str | None, name: str, default: int, high: int) -> int:
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
        raise InvalidInputError(f"'{name}' must be a whole number from 1 to {high}.")
    return int(raw)
