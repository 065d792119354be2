"""`referbee report` without a server: the checks made before any request, the CSV, the
table, the funnel in the terminal and the chart files (matplotlib's PNG and SVG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from chalicelib.model.errors import ReferbeeError
from referbee.cli import main
from referbee.report.chart import write_funnel_chart
from referbee.report.kpis import as_csv
from tests.images import read_png


def report(days: int = 3) -> dict[str, Any]:
    daily = [
        {
            "date": f"2026-11-{10 + i:02d}",
            "clicks": 10 * i,
            "unique_clicks": 5 * i,
            "signups": i,
            "purchases": i % 2,
            "revenue": 0,
        }
        for i in range(days)
    ]
    kpis = {"clicks": 30, "unique_clicks": 15, "signups": 3, "purchases": 1, "roi": None}
    return {
        "program": "shop",
        "name": 'Shop <&> "Co"',
        "currency": "EUR",
        "period": {"from": "2026-11-10", "to": "2026-11-12", "days": days},
        "kpis": {**kpis, "rewards": {}, "lifetime": {"30": {"repeat_purchase_rate": 0.5}}},
        "channels": [{"name": "=cmd", "clicks": 3, "signups": 0, "purchases": 0, "revenue": 0}],
        "landing_pages": [],
        "models": [],
        "top_referrers": [],
        "daily": daily,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "30x"], "Cannot read the period '30x'"),
        (["--from", "2026-13-01"], "'from' must be a date like 2026-11-01"),
        (["--since", "30d", "--to", "2026-11-01"], "Give either 'since' or 'from'/'to'"),
        (["--chart", "funnel.gif"], "name the chart file .png or .svg"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(args: list[str], message: str) -> None:
    base = ["report", "--program", "shop", "--admin-key", "rk_x", "--api", "http://127.0.0.1:9"]
    result = CliRunner().invoke(main, base + args)
    assert result.exit_code != 0
    assert message in result.output
    assert "cannot reach" not in result.output


def test_the_csv_has_one_number_per_row(tmp_path: Path) -> None:
    lines = as_csv(report()).splitlines()
    assert lines[0] == "section,key,metric,value"
    assert "kpi,,clicks,30" in lines and "kpi,,roi," in lines
    assert "kpi,,repeat_purchase_rate_30d,0.5" in lines
    assert "channel,=cmd,clicks,3" in lines
    assert "daily,2026-11-12,signups,2" in lines


def test_the_png_chart_is_a_valid_png_with_the_series_drawn(tmp_path: Path) -> None:
    path = write_funnel_chart(report(), tmp_path / "f.PNG")
    width, height, pixels = read_png(path.read_bytes())
    assert (width, height) == (960, 560)
    assert bytes.fromhex("e65100") in {pixels[i : i + 3] for i in range(0, len(pixels), 3)}


def test_the_svg_chart_escapes_names_and_has_a_line_per_series(tmp_path: Path) -> None:
    path = write_funnel_chart(report(days=2), tmp_path / "f.svg")
    text = path.read_text()
    tree = ElementTree.fromstring(text)
    assert tree.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    assert 'Shop <&> "Co": referral funnel' in texts  # escaped in the file, whole when read
    for color in ("#3f51b5", "#90a4ae", "#00897b", "#e65100"):
        assert f"stroke: {color}" in text, color


def test_a_chart_needs_a_png_or_svg_name(tmp_path: Path) -> None:
    with pytest.raises(ReferbeeError, match="PNG or SVG"):
        write_funnel_chart(report(), tmp_path / "f.jpg")
    with pytest.raises(ReferbeeError, match="cannot be written"):
        write_funnel_chart(report(), tmp_path / "missing" / "f.svg")


def test_without_matplotlib_a_chart_file_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ReferbeeError, match=r"pip install 'referbee\[charts\]'"):
        write_funnel_chart(report(), tmp_path / "f.png")
    assert not (tmp_path / "f.png").exists()
