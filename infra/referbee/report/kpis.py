"""`referbee report`: a program's KPIs for a period, from the admin API (the numbers the admin
dashboard shows), as a terminal table, JSON, or CSV for spreadsheets.

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

from rich.console import Console
from rich.table import Table

from chalicelib.domain.analytics.periods import parse_period

from ..admin.client import AdminClient

SPLITS = (("channels", "channel"), ("landing_pages", "landing page"), ("models", "model"))
MONEY = {"referred_revenue", "average_order_value", "rewards_cost", "cost_per_acquired_customer"}
RATES = {
    "click_to_signup_rate",
    "click_to_purchase_rate",
    "invite_conversion_rate",
    "repeat_purchase_rate",
}


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


def print_table(report: dict[str, Any], console: Console) -> None:
    period = report["period"]
    console.print(
        f"[bold]{report['name']}[/bold] ({report['program']}), {period['from']} to "
        f"{period['to']} ({period['days']} days, UTC)",
        markup=True,
        highlight=False,
    )
    console.print(report["summary"], markup=False, highlight=False)
    kpis = Table(title="KPIs", title_justify="left", show_header=False)
    kpis.add_column("metric")
    kpis.add_column("value", justify="right")
    for metric, value in _kpi_rows(report):
        kpis.add_row(metric.replace("_", " "), _shown(metric, value, report["currency"]))
    console.print(kpis)
    for section, name in SPLITS:
        _print_rows(console, f"By {name}", report[section], "name")
    _print_rows(
        console,
        "Top referrers (by successful referrals, all time)",
        report["top_referrers"],
        "code",
    )
    for note in report["notes"]:
        console.print(f"Note: {note}", markup=False, highlight=False)


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


def _print_rows(console: Console, title: str, rows: list[dict[str, Any]], key: str) -> None:
    table = Table(title=title, title_justify="left")
    if not rows:
        console.print(f"{title}: nothing in this period.", markup=False, highlight=False)
        return
    columns = list(rows[0])
    for column in columns:
        table.add_column(
            column.replace("_", " "), justify="left" if column in (key, "name") else "right"
        )
    for row in rows:
        table.add_row(*(str(row[column]) for column in columns))
    console.print(table)


def _shown(metric: str, value: Any, currency: str) -> str:
    if value is None:
        return "—"
    if metric in RATES or metric.startswith("repeat_purchase_rate"):
        return f"{value * 100:.2f}%"
    if metric in (
        "referred_revenue",
        "average_order_value",
        "rewards_cost",
        "cost_per_acquired_customer",
    ) or metric.startswith("revenue_per_customer"):
        return f"{value:,.2f} {currency}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _plain(value: Any) -> Any:
    return "" if value is None else value
