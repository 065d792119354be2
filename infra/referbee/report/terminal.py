"""The funnel over time drawn in the terminal by plotext: clicks and unique clicks per day,
then sign-ups and purchases per day, each on its own scale."""

from __future__ import annotations

from typing import Any

from .chart import CLICK_SERIES, CONVERSION_SERIES

HEIGHT = 12


def funnel_plots(report: dict[str, Any], width: int, colors: bool) -> str:
    """Both panels as text, `width` characters wide; without `colors`, plain characters."""
    import plotext as plt

    days = report.get("daily") or []
    if len(days) < 2:
        return ""
    dates = [day["date"] for day in days]
    panels = []
    for title, series in (
        ("Clicks per day", CLICK_SERIES),
        ("Conversions per day", CONVERSION_SERIES),
    ):
        plt.clear_figure()
        plt.plotsize(max(40, width), HEIGHT)
        plt.date_form("Y-m-d")
        plt.theme("clear")
        peak = 1
        for key, name, _ in series:
            values = [int(day.get(key) or 0) for day in days]
            peak = max(peak, *values)
            plt.plot(dates, values, label=name, marker="braille")
        ticks = sorted({0, peak // 2, peak})
        plt.yticks(ticks, [str(tick) for tick in ticks])
        plt.title(title)
        built: str = plt.build()
        panels.append(built if colors else plt.uncolorize(built))
    return "\n".join(panels)
