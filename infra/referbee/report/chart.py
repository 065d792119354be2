"""The funnel over time as a chart file, drawn by matplotlib: clicks and unique clicks per
day on top, sign-ups and purchases per day below (each panel on its own scale: conversions
are a small fraction of clicks and would vanish on a shared one). PNG or SVG, by the file's
name. matplotlib is an optional extra (`pip install 'referbee[charts]'`): the rest of the
command line works without it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from chalicelib.model.errors import ReferbeeError

from .. import formats

SIZE_INCHES, DPI = (9.6, 5.6), 100  # 960 x 560 pixels
CLICK_SERIES = (("clicks", "Clicks", "#3f51b5"), ("unique_clicks", "Unique clicks", "#90a4ae"))
CONVERSION_SERIES = (("signups", "Sign-ups", "#00897b"), ("purchases", "Purchases", "#e65100"))
MISSING = (
    "drawing a chart file needs matplotlib, an optional part of referbee: install it with "
    "`pip install 'referbee[charts]'` (or `pip install matplotlib`), or leave out --chart: "
    "`referbee report` draws the funnel in the terminal without it"
)


def write_funnel_chart(report: dict[str, Any], path: Path) -> Path:
    """Draw the report's daily funnel into `path` (.png or .svg)."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ReferbeeError(
            f"the chart is written as PNG or SVG: name it .png or .svg, not '{path}'"
        )
    try:
        from matplotlib import rc_context
        from matplotlib.figure import Figure
    except ImportError:
        raise ReferbeeError(MISSING) from None
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    clicks, conversions = figure.subplots(2, 1, sharex=True)
    days = [date.fromisoformat(day["date"]) for day in report.get("daily") or []]
    for axes, series, label in (
        (clicks, CLICK_SERIES, "Clicks per day"),
        (conversions, CONVERSION_SERIES, "Conversions per day"),
    ):
        for order, (key, name, color) in enumerate(series):
            values = [int(day.get(key) or 0) for day in report.get("daily") or []]
            # The first series (all clicks, sign-ups) is drawn on top of the second.
            axes.plot(days, values, color=color, linewidth=3, label=name, zorder=3 - order)
        axes.set_ylabel(label)
        axes.set_ylim(bottom=0)
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.grid(axis="y", color="#dddddd")
        axes.legend(loc="upper left", frameon=False)
    figure.suptitle(f"{report.get('name') or report['program']}: referral funnel")
    clicks.set_title(_totals(report), fontsize="medium")
    figure.autofmt_xdate()
    try:
        # SVG text stays text (searchable, small), not glyph outlines.
        with rc_context({"svg.fonttype": "none"}):
            figure.savefig(path, format=suffix[1:], facecolor="#ffffff")
    except OSError as exc:
        raise ReferbeeError(f"{path}: cannot be written ({exc.strerror})") from exc
    return path


def _totals(report: dict[str, Any]) -> str:
    period, kpis = report["period"], report["kpis"]
    return (
        f"{formats.day(period['from'])} to {formats.day(period['to'])}: "
        f"{formats.things(kpis['clicks'], 'click', 'clicks')} "
        f"({formats.count(kpis['unique_clicks'])} unique), "
        f"{formats.things(kpis['signups'], 'sign-up', 'sign-ups')}, "
        f"{formats.things(kpis['purchases'], 'purchase', 'purchases')}"
    )
