"""`referbee report`."""

from __future__ import annotations

from pathlib import Path

import click

from .options import admin_api, fails_cleanly


@click.command()
@admin_api
@click.option(
    "--since",
    help="The last N days, weeks, months or years, today included: 30d, 12w, 6m, 1y "
    "(default: 30d).",
)
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period (UTC).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period (default: today).")
@click.option(
    "--format",
    "shape",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, JSON or CSV (one number per row) for programs and spreadsheets.",
)
@click.option("--json", "as_json_flag", is_flag=True, help="The same as --format json.")
@click.option("--csv", "as_csv_flag", is_flag=True, help="The same as --format csv.")
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the funnel over time into FILE.png or FILE.svg (needs the charts extra: "
    "pip install 'referbee[charts]'). The table draws it in the terminal without it.",
)
@click.option(
    "--top",
    type=click.IntRange(1, 25),
    default=10,
    show_default=True,
    help="How many top referrers to list.",
)
@fails_cleanly
def report(
    program: str,
    api: str | None,
    admin_key: str,
    since: str | None,
    start: str | None,
    end: str | None,
    shape: str,
    as_json_flag: bool,
    as_csv_flag: bool,
    chart: Path | None,
    top: int,
) -> None:
    """A program's KPIs for a period: participants, clicks, conversions, revenue, rewards cost,
    ROI, viral coefficient, repeat purchases, top referrers and the split by channel, landing
    page and attribution model (a read key is enough)."""
    from ..admin.client import AdminClient
    from ..report.chart import write_funnel_chart
    from ..report.kpis import as_csv, as_json, fetch_report
    from ..report.table import print_report
    from .output import console

    if as_json_flag and as_csv_flag:
        raise click.UsageError("give --json or --csv, not both")
    shape = "json" if as_json_flag else "csv" if as_csv_flag else shape

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("name the chart file .png or .svg", param_hint="--chart")
    found = fetch_report(
        AdminClient(api, admin_key), program, since=since, start=start, end=end, top=top
    )
    if shape == "json":
        click.echo(as_json(found), nl=False)
    elif shape == "csv":
        click.echo(as_csv(found), nl=False)
    else:
        print_report(found, console())
    if chart is not None:
        written = write_funnel_chart(found, chart)
        click.echo(f"chart written to {written}", err=shape != "table")
