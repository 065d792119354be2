"""The analytics API over moto: a seeded month of a program (tests/analytics_scenario.py),
rolled up from the table's stream, reads back exactly as worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.api import deps
from chalicelib.domain.clock import FixedClock
from chalicelib.domain.context import Context
from chalicelib.domain.programs import parse_programs
from chalicelib.domain.signing import Signer
from chalicelib.store.dynamo import DynamoStore
from tests import analytics_scenario as scenario
from tests.conftest import NOW, READ_KEY, SECRET, install_keys
from tests.helpers import body_of
from tests.rollups import roll_up_stream, stream_reader

TODAY = datetime.fromtimestamp(NOW, UTC).date()


@pytest.fixture
def beans(dynamo_client: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    from chalice.test import Client

    from app import app

    catalogue = parse_programs({"programs": [dict(scenario.PROGRAM)]})
    store = DynamoStore(dynamo_client, "refkit-test")
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
