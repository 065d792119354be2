"""The analytics API over moto: a seeded month of a program (tests/analytics_scenario.py),
rolled up from the table's stream, reads back exactly as worked out by hand."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.api import deps
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from tests import analytics_scenario as scenario
from tests.common import ADMIN_KEY, NOW, OTHER_PROGRAM_KEY, READ_KEY, SECRET, install_keys
from tests.helpers import body_of
from tests.rollups import roll_up_stream, stream_reader

TODAY = datetime.fromtimestamp(NOW, UTC).date()


@pytest.fixture
def beans(dynamo_client: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from chalice.test import Client

    from app import app

    catalogue = parse_programs({"programs": [dict(scenario.PROGRAM)]})
    store = DynamoStore(dynamo_client, "referbee-test")
    ctx = Context(store, catalogue, Signer(SECRET), FixedClock(NOW))
    reader = stream_reader()
    deps.reset()
    deps.use_context(ctx)
    install_keys(store)
    with Client(app) as client:
        yield {"api": client, "ctx": ctx, "reader": reader}
    deps.reset()


def get(api: Any, path: str, key: str = READ_KEY) -> Any:
    return api.http.get(path, headers={"authorization": f"Bearer {key}"})


def test_the_seeded_month_reads_back_as_worked_out_by_hand(beans: dict[str, Any]) -> None:
    seeded = scenario.seed(beans["ctx"], TODAY)
    assert roll_up_stream(beans["ctx"], beans["reader"]) > 0

    response = get(beans["api"], "/v1/programs/beans/analytics?since=30d")

    assert response.status_code == 200, response.body
    report = body_of(response)
    assert report["period"] == {
        "from": "2026-10-20",
        "to": "2026-11-18",
        "days": 30,
    }
    assert report["kpis"] == scenario.expected_kpis()
    assert report["channels"] == scenario.expected_channels()
    assert report["landing_pages"] == scenario.expected_pages()
    assert report["models"] == scenario.expected_models()
    assert {row["code"]: _without_rank(row) for row in report["top_referrers"]} == (
        scenario.expected_top(seeded.codes)
    )
    days = {row["date"]: row for row in report["daily"]}
    assert len(days) == 30
    expected = scenario.expected_days(TODAY)
    for date, row in days.items():
        zeros = {"date": date, "clicks": 0, "unique_clicks": 0, "signups": 0, "purchases": 0}
        assert row == expected.get(date, {**zeros, "revenue": 0})


def _without_rank(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != "rank"}


def test_the_report_has_the_documented_shape(beans: dict[str, Any]) -> None:
    from tests.functional.test_openapi import check

    scenario.seed(beans["ctx"], TODAY)
    roll_up_stream(beans["ctx"], beans["reader"])
    check(body_of(get(beans["api"], "/v1/programs/beans/analytics")), "Report")
    check(body_of(get(beans["api"], "/v1/programs/beans/analytics/rewards")), "ExportPage")


def test_a_period_without_activity_is_zeros_and_a_sentence(beans: dict[str, Any]) -> None:
    response = get(beans["api"], "/v1/programs/beans/analytics?from=2024-01-01&to=2024-01-31")
    assert response.status_code == 200
    report = body_of(response)
    kpis = report["kpis"]
    assert report["summary"] == (
        "No referral activity in Bean There from 2024-01-01 to 2024-01-31: no codes issued, "
        "clicks, conversions or rewards, so every count is zero."
    )
    counts = ("participants", "clicks", "unique_clicks", "signups", "purchases", "new_customers")
    assert all(kpis[name] == 0 for name in counts)
    assert kpis["referred_revenue"] == 0 and kpis["rewards_cost"] == 0
    undefined = (
        "click_to_signup_rate",
        "average_order_value",
        "cost_per_acquired_customer",
        "roi",
        "viral_coefficient",
    )
    assert all(kpis[name] is None for name in undefined)
    assert kpis["lifetime"]["90"] == {"repeat_purchase_rate": None, "revenue_per_customer": None}
    assert any("ROI is not defined" in note for note in report["notes"])
    assert len(report["daily"]) == 31 and not any(day["clicks"] for day in report["daily"])
    assert report["channels"] == report["top_referrers"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=30x", "Cannot read the period '30x': write a number of days, weeks"),
        ("since=0d", "The period '0d' is empty"),
        ("since=4y", "A report covers at most 1096 days; this is 1461."),
        ("from=2026-11-10&to=2026-11-01", "The period starts (2026-11-10) after it ends"),
        ("from=10/11/2026", "'from' must be a date like 2026-11-01, not '10/11/2026'."),
        ("since=30d&from=2026-11-01", "Give either 'since' or 'from'/'to', not both."),
        ("top=0", "'top' must be a whole number from 1 to 25."),
        ("sinse=30d", "Unknown field 'sinse' (did you mean 'since'?)."),
    ],
)
def test_bad_periods_are_refused_with_a_clear_message(
    beans: dict[str, Any], query: str, message: str
) -> None:
    response = get(beans["api"], f"/v1/programs/beans/analytics?{query}")
    assert response.status_code == 400
    assert message in body_of(response)["error"]


def test_only_admin_keys_that_may_read_the_program_see_it(beans: dict[str, Any]) -> None:
    api = beans["api"]
    assert api.http.get("/v1/programs/beans/analytics").status_code == 401
    wrong = get(api, "/v1/programs/beans/analytics", "rk_not_a_key_0123456789")
    assert wrong.status_code == 401 and "not valid" in body_of(wrong)["error"]
    other = get(api, "/v1/programs/beans/analytics", OTHER_PROGRAM_KEY)
    assert other.status_code == 403
    assert body_of(other)["error"] == "This admin key may not read program 'beans'."
    assert get(api, "/v1/programs/beans/analytics", ADMIN_KEY).status_code == 200
    assert get(api, "/v1/programs/beans/analytics/referrers", READ_KEY).status_code == 200
    unknown = get(api, "/v1/programs/nope/analytics")
    assert unknown.status_code == 404
    assert body_of(unknown)["error"] == "There is no referral program 'nope'."


def test_exports_page_through_every_row_once(beans: dict[str, Any]) -> None:
    scenario.seed(beans["ctx"], TODAY)
    api = beans["api"]
    for kind, count in (("referrers", 5), ("conversions", 9), ("rewards", 14)):
        rows, cursor, pages = [], None, 0
        while True:
            query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = body_of(get(api, f"/v1/programs/beans/analytics/{kind}?{query}"))
            rows += page["rows"]
            pages += 1
            cursor = page["next"]
            if cursor is None:
                break
        assert len(rows) == count, kind
        assert pages >= count // 2
        key = {"referrers": "code", "conversions": "order_id", "rewards": "reward_id"}[kind]
        assert len({row[key] for row in rows}) == count, kind


def test_the_rewards_csv_is_the_payout_list(beans: dict[str, Any]) -> None:
    scenario.seed(beans["ctx"], TODAY)
    response = get(beans["api"], "/v1/programs/beans/analytics/rewards?format=csv&status=approved")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="beans-rewards.csv"'
    assert "X-Referbee-Next-Cursor" not in response.headers
    lines = response.body.decode().splitlines()
    assert lines[0].startswith("reward_id,status,side,pay_to,ref,referrer_name,referrer_email,")
    rows = [line.split(",") for line in lines[1:]]
    assert sorted((row[2], row[9]) for row in rows) == [
        ("friend", "12"),
        ("friend", "15"),
        ("friend", "7.5"),
        ("referrer", "10"),
        ("referrer", "10"),
    ]
    assert {row[3] for row in rows if row[2] == "referrer"} == {
        "ben@example.com",
        "cleo@example.com",
    }
    # The friend's 15% off is a discount at checkout: listed, but nobody is to be paid.
    assert {(row[3], row[-1]) for row in rows if row[2] == "friend"} == {("", "False")}
    assert {row[-1] for row in rows if row[2] == "referrer"} == {"True"}
    assert lines[0].endswith(",payable")


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(beans: dict[str, Any]) -> None:
    from chalicelib.domain.referrals.referrers import issue_code

    body = {"email": "x@example.com", "name": '=HYPERLINK("http://evil.example","Win")'}
    issue_code(beans["ctx"], "beans", body, is_admin=True)
    text = get(beans["api"], "/v1/programs/beans/analytics/referrers?format=csv").body.decode()
    assert "'=HYPERLINK(" in text and ",=HYPERLINK(" not in text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("rewards?cursor=abc.def", "The cursor is not valid for this listing"),
        ("referrers?format=xml", "'format' must be json or csv."),
        ("conversions?status=paid", "'status' applies to rewards only"),
        ("rewards?status=lost", "'status' applies to rewards only"),
        ("orders", "Exports are referrers, conversions, rewards; not 'orders'."),
        ("referrers?limit=1001", "'limit' must be a whole number from 1 to 1000."),
    ],
)
def test_bad_export_requests_are_refused(beans: dict[str, Any], path: str, message: str) -> None:
    response = get(beans["api"], f"/v1/programs/beans/analytics/{path}")
    assert response.status_code == 400
    assert message in body_of(response)["error"]


def test_a_cursor_is_only_good_for_its_own_listing(beans: dict[str, Any]) -> None:
    scenario.seed(beans["ctx"], TODAY)
    api = beans["api"]
    cursor = body_of(get(api, "/v1/programs/beans/analytics/referrers?limit=1"))["next"]
    assert cursor
    elsewhere = get(api, f"/v1/programs/beans/analytics/conversions?cursor={cursor}")
    assert elsewhere.status_code == 400
    forged = cursor[:-1] + ("0" if cursor[-1] != "0" else "1")
    assert get(api, f"/v1/programs/beans/analytics/referrers?cursor={forged}").status_code == 400


def test_the_report_table_shows_each_unit_one_way_and_how_numbers_add_up(
    beans: dict[str, Any],
) -> None:
    import re

    from rich.console import Console

    from referbee.report.table import print_report

    scenario.seed(beans["ctx"], TODAY)
    roll_up_stream(beans["ctx"], beans["reader"])
    report = body_of(get(beans["api"], "/v1/programs/beans/analytics?since=30d"))
    console = Console(width=200, record=True, file=io.StringIO())
    print_report(report, console)
    text = console.export_text()
    rows = {
        cells[0]: cells[1:]
        for line in text.splitlines()
        if line.startswith("│")
        and len(cells := [c.strip() for c in line.strip("│").split("│")]) >= 2
    }
    assert rows["Click to purchase"] == ["25.0%", "3 of 12 unique clicks bought; 3 other purchases"]
    assert rows["Click to sign-up"] == ["16.7%", "2 of 12 unique clicks"]
    assert rows["Purchases"] == ["6", "4 by new customers, 2 repeat"]
    assert rows["New customers"][0] == "4"
    assert rows["Cost per new customer"] == ["€27.00", "€108.00 ÷ 4 new customers"]
    assert rows["ROI"][0] == "196.3%"
    assert rows["Referred revenue"][0] == "€320.00"
    assert rows["Link copied or typed"] == ["1", "0", "0", "€0.00"]
    assert rows["Not known"] == ["0", "0", "3", "€140.00"]
    # One format per unit: no raw ratios (0.1963), no "320 EUR", no two-decimal percentages.
    assert not re.search(r"\b0\.\d{3,}\b|\d EUR\b|\d+\.\d\d%", text), text
    assert "Oct 20, 2026 to Nov 18, 2026 (30 days, UTC)" in text
    assert "Clicks per day" in text and "Conversions per day" in text  # the terminal funnel
