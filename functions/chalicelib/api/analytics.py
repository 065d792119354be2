"""Program analytics for marketers (admin key, read scope is enough): the KPI report and the
referrers, conversions and rewards exports. `referbee report` and the admin dashboard both
read these routes, so every tool shows the same numbers."""

from __future__ import annotations

from datetime import date

from chalice.app import Blueprint, CORSConfig, Response

from ..domain.analytics.exports import MAX_ROWS, export_page, to_csv
from ..domain.analytics.periods import Period, parse_period, today_utc
from ..domain.analytics.report import MAX_TOP_REFERRERS, TOP_REFERRERS, program_report
from ..model.errors import InvalidInputError
from .admin import AdminCall, admin_route
from .http import json_response, query, reject_unknown_fields, whole_number

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


@admin_route(bp, "/v1/programs/{program}/analytics", methods=["GET"], write=False, cors=CORS)
def report(call: AdminCall) -> Response:
    params = _params(call, REPORT_PARAMS)
    today = today_utc(call.ctx.clock.now())
    period = _period(params, today)
    top = whole_number(params.get("top"), "top", TOP_REFERRERS, MAX_TOP_REFERRERS)
    body = program_report(call.ctx, call.program, period, today, top)
    return json_response(body, headers=PRIVATE)


@admin_route(
    bp, "/v1/programs/{program}/analytics/{export}", methods=["GET"], write=False, cors=CORS
)
def export(call: AdminCall, export: str) -> Response:
    params = _params(call, EXPORT_PARAMS)
    period = _period(params, today_utc(call.ctx.clock.now()))
    shape = params.get("format", "json")
    if shape not in ("json", "csv"):
        raise InvalidInputError("'format' must be json or csv.")
    page = export_page(
        call.ctx,
        call.program,
        export,
        period=period,
        status=params.get("status"),
        limit=whole_number(params.get("limit"), "limit", MAX_ROWS, MAX_ROWS),
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
        "Content-Disposition": f'attachment; filename="{call.program.id}-{export}.csv"',
    }
    body = to_csv(page.columns, page.rows).encode()
    return Response(body=body, status_code=200, headers=csv_headers)


def _params(call: AdminCall, known: tuple[str, ...]) -> dict[str, str]:
    params = query(call.request)
    reject_unknown_fields(dict(params), known)
    return params


def _period(params: dict[str, str], today: date) -> Period:
    return parse_period(params.get("since"), params.get("from"), params.get("to"), today)
