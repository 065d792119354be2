"""`referbee report`: a program's KPIs for a period, from the admin API (the numbers the admin
dashboard shows), as JSON or CSV for programs and spreadsheets (report/table.py prints them
for people).

The CSV is long ("tidy") so that any spreadsheet can pivot it: one number per row, as
`section,key,metric,value` (`kpi,,clicks,120`, `channel,email,purchases,3`,
`daily,2026-11-02,clicks,14`).
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.analytics.periods import parse_period

from ..admin.client import AdminClient

SPLITS = (("channels", "channel"), ("landing_pages", "landing page"), ("models", "model"))


def fetch_report(
    client: AdminClient,
    program: str,
    *,
    since: str | None,
    start: str | None,
    end: str | None,
    top: int,
) -> dict[str, Any]:
    """The report from the API; the period is checked here first, for a clear message
    before any request."""
    parse_period(since, start, end, datetime.now(UTC).date())
    params = {"since": since, "from": start, "to": end, "top": str(top)}
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v})
    path = f"/v1/programs/{urllib.parse.quote(program, safe='')}/analytics?{query}"
    report: dict[str, Any] = client.call("GET", path)
    return report


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def as_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "metric", "value"])
    for metric, value in _kpi_rows(report):
        writer.writerow(["kpi", "", metric, _plain(value)])
    for section, name in SPLITS:
        for row in report[section]:
            for metric, value in row.items():
                if metric != "name":
                    writer.writerow([name.replace(" ", "_"), row["name"], metric, value])
    for row in report["top_referrers"]:
        for metric, value in row.items():
            if metric != "code":
                writer.writerow(["top_referrer", row["code"], metric, value])
    for day in report["daily"]:
        for metric, value in day.items():
            if metric != "date":
                writer.writerow(["daily", day["date"], metric, value])
    return out.getvalue()


def _kpi_rows(report: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every KPI as one (metric, value) row; nested ones get a dotted name."""
    rows: list[tuple[str, Any]] = []
    for metric, value in report["kpis"].items():
        if metric == "rewards":
            for status, reward in value.items():
                rows.append((f"rewards_{status}_count", reward["count"]))
                for currency, amount in reward["value"].items():
                    rows.append((f"rewards_{status}_{currency}", amount))
                if reward["points"]:
                    rows.append((f"rewards_{status}_points", reward["points"]))
        elif metric == "lifetime":
            for days, figures in value.items():
                for name, figure in figures.items():
                    rows.append((f"{name}_{days}d", figure))
        elif isinstance(value, dict):
            for currency, amount in value.items():
                rows.append((f"{metric}_{currency}", amount))
            if not value:
                rows.append((metric, 0))
        else:
            rows.append((metric, value))
    return rows


def _plain(value: Any) -> Any:
    return "" if value is None else value
