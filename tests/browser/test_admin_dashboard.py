"""Program analytics on `referbee dev`, over real HTTP: a month of a program (seeded through the
domain services, rolled up by the stack's stream poller) reads exactly as worked out by hand
from the API, from `referbee report --format json` and from the admin dashboard in real
Chromium; the CLI's chart files are valid PNG and SVG; CSV downloads carry the rows."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from referbee import formats
from referbee.report.table import summary
from tests import analytics_scenario as scenario
from tests.analytics_stack import READ_KEY, TEA_KEY, AnalyticsStack, start_analytics_stack
from tests.images import read_png

from .site_stack import only_local, serious_accessibility_problems
from .support import Recorded, screenshot


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnalyticsStack]:
    running = start_analytics_stack(tmp_path_factory.mktemp("analytics"))
    yield running
    running.stack.stop()


def referbee(world: AnalyticsStack, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "referbee.cli", "report", "--program", "beans", *args]
    command += ["--api", world.stack.api, "--admin-key", READ_KEY]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.e2e
def test_the_api_and_the_cli_report_the_hand_computed_kpis(world: AnalyticsStack) -> None:
    reply = world.report()
    assert reply.status == 200
    report = reply.json()
    assert report["kpis"] == scenario.expected_kpis()
    assert report["channels"] == scenario.expected_channels()
    assert report["landing_pages"] == scenario.expected_pages()
    assert report["models"] == scenario.expected_models()
    top = {row.pop("code"): row for row in report["top_referrers"] if row.pop("rank")}
    expected_top = scenario.expected_top(world.seeded.codes)
    assert top == {
        code: {k: v for k, v in row.items() if k != "code"} for code, row in expected_top.items()
    }
    days = {
        row["date"]: row
        for row in report["daily"]
        if row["clicks"] or row["purchases"] or row["signups"]
    }
    assert days == {
        d: r
        for d, r in scenario.expected_days(world.today).items()
        if r["clicks"] or r["purchases"] or r["signups"]
    }

    run = referbee(world, "--since", "30d", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == world.report().json()

    table = referbee(world, "--since", "30d")
    assert table.returncode == 0, table.stderr
    assert "Bean There (beans)" in table.stdout
    assert "Cost per new customer" in table.stdout and "€21.25" in table.stdout

    rows = list(csv.reader(io.StringIO(referbee(world, "--format", "csv").stdout)))
    assert rows[0] == ["section", "key", "metric", "value"]
    assert ["kpi", "", "roi", "2.7647"] in rows
    assert ["channel", "email", "revenue", "100"] in rows


@pytest.mark.e2e
def test_the_cli_writes_the_funnel_chart_as_valid_png_and_svg(
    world: AnalyticsStack, tmp_path: Path
) -> None:
    png, svg = tmp_path / "funnel.png", tmp_path / "funnel.svg"
    assert referbee(world, "--chart", str(png), "--format", "json").returncode == 0
    assert referbee(world, "--since", "90d", "--chart", str(svg)).returncode == 0

    width, height, pixels = read_png(png.read_bytes())
    assert (width, height) == (960, 560)
    colors = {pixels[i : i + 3] for i in range(0, len(pixels), 3)}
    # The four series are drawn in their colors, on white.
    for color in ("3f51b5", "90a4ae", "00897b", "e65100", "ffffff"):
        assert bytes.fromhex(color) in colors, color

    tree = ElementTree.fromstring(svg.read_bytes())
    assert tree.tag == "{http://www.w3.org/2000/svg}svg"
    svg_ns = "{http://www.w3.org/2000/svg}"
    paths = list(tree.iter(f"{svg_ns}path"))
    for color in ("#3f51b5", "#90a4ae", "#00897b", "#e65100"):
        series = [p for p in paths if f"stroke: {color}" in p.get("style", "")]
        # A point a day (the legend's sample line is the other path of that color).
        assert any(p.get("d", "").count(" L ") + 1 == 90 for p in series), color
    texts = " ".join(text.text or "" for text in tree.iter(f"{svg_ns}text"))
    # 90 days take in Eve's click of D-35 too.
    assert "Bean There: referral funnel" in texts and "14 clicks (13 unique)" in texts


@pytest.mark.e2e
def test_bad_periods_and_keys_get_a_clear_message(world: AnalyticsStack) -> None:
    run = referbee(world, "--since", "30x")
    assert run.returncode == 1
    assert "Cannot read the period '30x'" in run.stderr and "30d, 12w, 6m or 1y" in run.stderr
    bad = referbee(world, "--from", "2026-02-30")
    assert bad.returncode == 1 and "'from' must be a date like 2026-11-01" in bad.stderr
    command = [sys.executable, "-m", "referbee.cli", "report", "--program", "nope"]
    command += ["--api", world.stack.api, "--admin-key", READ_KEY]
    nope = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert nope.returncode == 1
    assert nope.stderr.strip() == "referbee: 404: There is no referral program 'nope'."
    tea = world.report(key=TEA_KEY)
    assert tea.status == 403 and "may not read program 'beans'" in tea.json()["error"]
    empty = world.report("from=2020-01-01&to=2020-01-31")
    assert empty.status == 200
    nothing = empty.json()
    assert nothing["kpis"]["clicks"] == 0 and nothing["kpis"]["roi"] is None
    assert nothing["summary"].startswith("No referral activity in Bean There")


@pytest.mark.browser
def test_the_dashboard_shows_what_the_api_returns(
    world: AnalyticsStack, page: Any, recorded: Recorded
) -> None:
    expected = world.report().json()
    page.goto(f"{world.stack.site}/admin/")
    page.wait_for_selector("#referbee-admin[data-state=key]")

    page.fill("#referbee-admin-key", "rk_not_a_key_anyone_made_0000")
    page.click("text=Show analytics")
    error = page.locator('[data-slot="key-error"]')
    error.wait_for(state="visible")
    assert "not valid" in error.inner_text() and "copied whole" in error.inner_text()

    page.fill("#referbee-admin-key", TEA_KEY)
    page.click("text=Show analytics")
    page.wait_for_selector('[data-slot="key-error"]:has-text("may not read")')
    assert page.evaluate("sessionStorage.length") == 0  # a refused key is not kept

    page.fill("#referbee-admin-key", READ_KEY)
    page.click("text=Show analytics")
    page.wait_for_selector("#referbee-admin[data-state=ready]", timeout=15000)
    assert page.evaluate("Object.values(sessionStorage)") == [READ_KEY]
    assert page.evaluate("localStorage.length") == 0

    cells = page.locator("dd[data-kpi]")
    shown = {
        cells.nth(i).get_attribute("data-kpi"): json.loads(cells.nth(i).get_attribute("data-value"))
        for i in range(cells.count())
    }
    assert shown == {name: pick(expected["kpis"], name) for name in shown}
    assert len(shown) == 25
    assert page.locator('dd[data-kpi="cost_per_acquired_customer"]').inner_text() == "€21.25"
    assert page.locator('dd[data-kpi="click_to_signup_rate"]').inner_text() == "16.7%"  # as the CLI
    # The same sentence as `referbee report`, money as money (not the API's "320 EUR").
    assert page.locator('[data-slot="summary"]').inner_text() == summary(expected)
    assert "€320.00" in summary(expected)
    period = expected["period"]
    assert page.locator('[data-slot="period"]').inner_text() == (
        f"{formats.day(period['from'])} to {formats.day(period['to'])} (30 days, UTC)"
    )
    # Every field the API gives a split row; the row's key is shown in words (`label`).
    for kind, split in (("channel", "channels"), ("page", "landing_pages"), ("model", "models")):
        rows = [{k: v for k, v in row.items() if k != "label"} for row in expected[split]]
        assert table_rows(page, kind) == rows, kind
        names = page.locator(f'table[data-table="{kind}"] td[data-field="name"]').all_inner_texts()
        assert names == [row["label"] for row in expected[split]], kind
    # Numbers line up on the right under their header; names on the left.
    align = "e => getComputedStyle(e).textAlign"
    clicks = 'table[data-table="channel"] [data-field="clicks"]'
    assert page.locator(clicks).first.evaluate(align) == "right"
    assert page.locator('table[data-table="channel"] th').nth(1).evaluate(align) == "right"
    assert page.locator('table[data-table="channel"] [data-field="name"]').first.evaluate(
        align
    ) in ("left", "start")
    leaders = table_rows(page, "referrer")
    assert leaders == [{k: row[k] for k in leaders[0]} for row in expected["top_referrers"]]
    assert len(leaders) == 4 and "revenue" in leaders[0]
    lines = page.locator("svg.referbee-chart__svg polyline[data-series]")
    assert lines.count() == 4
    assert len(lines.first.get_attribute("points").split()) == 30

    for width in (1280, 390):  # desktop and phone
        screenshot(page, "admin-dashboard", width)
        assert serious_accessibility_problems(page) == [], width
    # Only the two refused keys' answers, which the browser reports as failed loads.
    assert len(recorded.errors) == 2
    assert all("401" in e or "403" in e for e in recorded.errors), recorded.errors
    assert only_local(recorded.requests, world.stack) == []


@pytest.mark.browser
def test_the_dashboard_downloads_the_payout_list_and_forgets_the_key(
    world: AnalyticsStack, page: Any, recorded: Recorded
) -> None:
    page.goto(f"{world.stack.site}/admin/")
    page.fill("#referbee-admin-key", READ_KEY)
    page.click("text=Show analytics")
    page.wait_for_selector("#referbee-admin[data-state=ready]", timeout=15000)

    with page.expect_download() as download:
        page.click('button[data-download="rewards"][data-status="approved"]')
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert download.value.suggested_filename == "beans-rewards-approved.csv"
    assert sorted((row["side"], row["amount"]) for row in rows) == [
        ("friend", "12"),
        ("friend", "15"),
        ("friend", "7.5"),
        ("referrer", "10"),
        ("referrer", "10"),
    ]
    referrers = {row["pay_to"] for row in rows if row["side"] == "referrer"}
    assert referrers == {"ben@example.com", "cleo@example.com"}

    with page.expect_download() as download:
        page.click('button[data-download="conversions"]')
    conversions = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(conversions) == 9  # two sign-ups and seven purchases, p2 refunded
    assert {row["status"] for row in conversions if row["order_id"] == "p2"} == {"refunded"}

    page.click('button[data-action="forget"]')
    page.wait_for_selector("#referbee-admin[data-state=key]")
    assert page.evaluate("sessionStorage.length") == 0
    assert recorded.errors == []


def pick(kpis: dict[str, Any], path: str) -> Any:
    value: Any = kpis
    for part in path.split("."):
        value = value[part]
    return value


def table_rows(page: Any, kind: str) -> list[dict[str, Any]]:
    rows = page.locator(f'table[data-table="{kind}"] tbody tr')
    found = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td[data-field]")
        found.append(
            {
                cells.nth(j).get_attribute("data-field"): json.loads(
                    cells.nth(j).get_attribute("data-value")
                )
                for j in range(cells.count())
            }
        )
    return found


@pytest.mark.browser
def test_a_purchase_the_widget_reports_is_split_by_its_click_channel_and_page(
    widget_world: Any, open_page: Any
) -> None:
    """The click id carries the share channel and landing page through the widget's cookie and
    beacon, so the conversion lands in the right rows of the analytics."""
    from tests.e2e.stack import request

    from .widget_checks import wait_for
    from .widget_env import ADMIN_KEY, PROGRAM

    referrer = widget_world.issue("sam.channels@example.com", "Sam Split")
    page = open_page().page
    page.goto(f"{widget_world.api}/r/{referrer['code']}?ch=telegram&to=fixture")
    page.get_by_text("Sam sent you").wait_for()
    page.goto(widget_world.page("thanks.html", "order=split-1&amount=30"))

    def telegram() -> Any:
        reply = request(
            "GET",
            f"{widget_world.api}/v1/programs/{PROGRAM}/analytics?since=1d",
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        report = reply.json()
        rows = [row for row in report["channels"] if row["name"] == "telegram"]
        return rows and rows[0]["purchases"] and (rows[0], report)

    found = wait_for(telegram, timeout=20)
    assert found, "the purchase did not reach the analytics"
    row, report = found
    assert (row["clicks"], row["purchases"], row["revenue"]) == (1, 1, 30)
    fixture = next(r for r in report["landing_pages"] if r["name"] == "fixture")
    assert fixture["purchases"] >= 1
