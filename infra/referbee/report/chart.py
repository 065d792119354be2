"""The funnel over time, as a chart file: clicks and unique clicks per day on top, sign-ups
and purchases per day below (each panel on its own scale: conversions are a small fraction of
clicks and would vanish on a shared one). The same shapes are written as SVG, or rasterized
to PNG by referbee's own small canvas (report/png.py): no imaging library to install."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from chalicelib.model.errors import ReferbeeError

from .png import Color, Raster

WIDTH, HEIGHT = 960, 560
LEFT, RIGHT = 80, WIDTH - 30
CLICK_SERIES = (("clicks", "Clicks", "#3f51b5"), ("unique_clicks", "Unique clicks", "#90a4ae"))
CONVERSION_SERIES = (("signups", "Sign-ups", "#00897b"), ("purchases", "Purchases", "#e65100"))
PANELS = (("Clicks", CLICK_SERIES, 120, 296), ("Conversions", CONVERSION_SERIES, 346, 486))
INK, GRID, BACKGROUND = "#222222", "#dddddd", "#ffffff"


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, line, text
    points: tuple[float, ...]  # rect: x, y, w, h; line: x1, y1, x2, y2...; text: x, y
    color: str
    width: int = 1
    text: str = ""
    size: int = 2  # text: 2 normal, 3 title
    anchor: str = "start"


def write_funnel_chart(report: dict[str, Any], path: Path) -> Path:
    """Draw the report's daily funnel into `path` (.png or .svg)."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ReferbeeError(
            f"the chart is written as PNG or SVG: name it .png or .svg, not '{path}'"
        )
    shapes = funnel_shapes(report)
    data = to_svg(shapes) if suffix == ".svg" else to_png(shapes)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ReferbeeError(f"{path}: cannot be written ({exc.strerror})") from exc
    return path


def funnel_shapes(report: dict[str, Any]) -> list[Shape]:
    days: list[dict[str, Any]] = report.get("daily") or []
    period = report["period"]
    shapes = [Shape("rect", (0, 0, WIDTH, HEIGHT), BACKGROUND)]
    title = f"{report.get('name') or report['program']}: referral funnel"
    shapes.append(Shape("text", (LEFT, 22), INK, text=title, size=3))
    kpis = report["kpis"]
    totals = (
        f"{period['from']} to {period['to']}: {kpis['clicks']} clicks, {kpis['unique_clicks']} "
        f"unique, {kpis['signups']} sign-ups, {kpis['purchases']} purchases"
    )
    shapes.append(Shape("text", (LEFT, 56), INK, text=totals))
    for label, series, top, bottom in PANELS:
        shapes += _panel(days, label, series, top, bottom)
    if days:
        for index in sorted({0, (len(days) - 1) // 2, len(days) - 1}):
            anchor = "start" if index == 0 else "end" if index == len(days) - 1 else "middle"
            x = _x(index, len(days))
            shapes.append(Shape("text", (x, 496), INK, text=days[index]["date"], anchor=anchor))
    legend_x = LEFT
    for _, series, _, _ in PANELS:
        for _, name, color in series:
            shapes.append(Shape("rect", (legend_x, 528, 14, 14), color))
            shapes.append(Shape("text", (legend_x + 20, 528), INK, text=name))
            legend_x += 40 + 12 * len(name)
    return shapes


def to_svg(shapes: list[Shape]) -> bytes:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">'
    ]
    for shape in shapes:
        p = shape.points
        if shape.kind == "rect":
            parts.append(
                f'<rect x="{p[0]:g}" y="{p[1]:g}" width="{p[2]:g}" height="{p[3]:g}" '
                f'fill="{shape.color}"/>'
            )
        elif shape.kind == "line":
            points = " ".join(f"{p[i]:.1f},{p[i + 1]:.1f}" for i in range(0, len(p), 2))
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{shape.color}" '
                f'stroke-width="{shape.width}" stroke-linejoin="round"/>'
            )
        else:
            size = 22 if shape.size == 3 else 14
            parts.append(
                f'<text x="{p[0]:g}" y="{p[1] + size - 2:g}" font-size="{size}" '
                f'fill="{shape.color}" text-anchor={quoteattr(shape.anchor)}>'
                f"{escape(shape.text)}</text>"
            )
    parts.append("</svg>")
    return ("\n".join(parts) + "\n").encode()


def to_png(shapes: list[Shape]) -> bytes:
    canvas = Raster(WIDTH, HEIGHT, _rgb(BACKGROUND))
    for shape in shapes:
        p, color = shape.points, _rgb(shape.color)
        if shape.kind == "rect":
            canvas.rect(p[0], p[1], p[2], p[3], color)
        elif shape.kind == "line":
            for i in range(0, len(p) - 2, 2):
                canvas.line(p[i], p[i + 1], p[i + 2], p[i + 3], color, shape.width)
        else:
            canvas.text(p[0], p[1], shape.text, color, shape.size, shape.anchor)
    return canvas.png()


def _panel(
    days: list[dict[str, Any]],
    label: str,
    series: tuple[tuple[str, str, str], ...],
    top: float,
    bottom: float,
) -> list[Shape]:
    peak = max([1] + [int(day.get(key) or 0) for day in days for key, _, _ in series])
    shapes = [Shape("text", (LEFT, top - 22), INK, text=label)]
    for value in sorted({0, (peak + 1) // 2, peak}):
        y = bottom - (bottom - top) * value / peak
        shapes.append(Shape("line", (LEFT, y, RIGHT, y), GRID))
        shapes.append(Shape("text", (LEFT - 8, y - 7), INK, text=str(value), anchor="end"))
    for key, _, color in reversed(series):  # the first series is drawn last, on top
        points: list[float] = []
        for index, day in enumerate(days):
            points += [
                _x(index, len(days)),
                bottom - (bottom - top) * int(day.get(key) or 0) / peak,
            ]
        if len(points) == 2:
            points += [points[0] + 1, points[1]]  # one day: a dot
        if points:
            shapes.append(Shape("line", tuple(points), color, width=3))
    return shapes


def _x(index: int, count: int) -> float:
    return LEFT + (RIGHT - LEFT) * (index / (count - 1) if count > 1 else 0.5)


def _rgb(color: str) -> Color:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
