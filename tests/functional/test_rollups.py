"""Rollups from moto's table stream: a batch delivered again (whole, longer, or after a crash
half-way through) is added once; and a year of daily activity is reported with a bounded
number of reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.api import deps
from chalicelib.api.rollups import roll_up_records
from chalicelib.domain.analytics import rollups
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.conversions.flow import attribute_conversion
from chalicelib.domain.conversions.input import parse_conversion
from chalicelib.domain.referrals.clicks import KnownCodes, record_click
from chalicelib.domain.referrals.referrers import issue_code
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.model.errors import UnavailableError
from chalicelib.store.dynamo import DynamoStore
from tests import analytics_scenario as scenario
from tests.common import BROWSER, NOW, READ_KEY, SECRET, install_keys
from tests.helpers import body_of
from tests.rollups import stream_reader

TODAY = datetime.fromtimestamp(NOW, UTC).date()


@pytest.fixture
def world(dynamo_client: Any) -> Iterator[dict[str, Any]]:
    from chalice.test import Client

    from app import app

    catalogue = parse_programs({"programs": [dict(scenario.PROGRAM)]})
    store = DynamoStore(dynamo_client, "referbee-test")
    ctx = Context(store, catalogue, Signer(SECRET), FixedClock(NOW))
    deps.reset()
    deps.use_context(ctx)
    install_keys(store)
    with Client(app) as client:
        yield {"api": client, "ctx": ctx, "store": store, "client": dynamo_client}
    deps.reset()


def report(world: dict[str, Any], query: str = "since=30d") -> dict[str, Any]:
    response = world["api"].http.get(
        f"/v1/programs/beans/analytics?{query}", headers={"authorization": f"Bearer {READ_KEY}"}
    )
    assert response.status_code == 200, response.body
    result: dict[str, Any] = body_of(response)
    return result


def test_a_batch_delivered_again_is_added_once(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = stream_reader()
    scenario.seed(world["ctx"], TODAY)
    records = reader.read(10_000)
    assert len(records) > 80  # three deliveries below: 40, 30 and the rest
    ctx = world["ctx"]

    first = records[:40]
    applied = roll_up_records(ctx, first)
    assert applied > 0
    assert roll_up_records(ctx, first) == 0  # the same batch again: nothing new
    # Delivered again with more records behind it: only the new ones are added.
    assert roll_up_records(ctx, records[:70]) == len(_relevant(records[40:70]))

    # A delivery that fails half-way (small transactions, the third one fails) is
    # delivered again, and the second delivery adds only what the first did not.
    monkeypatch.setattr(rollups, "ROLLUP_ITEMS_PER_WRITE", 4)
    store = world["store"]
    real_apply = store.rollups.apply_rollup
    calls = Counter[str]()

    def failing(write: Any) -> None:
        calls["writes"] += 1
        if calls["writes"] == 3:
            raise UnavailableError("throttled")
        real_apply(write)

    monkeypatch.setattr(store.rollups, "apply_rollup", failing)
    rest = records[70:]
    with pytest.raises(UnavailableError):
        roll_up_records(ctx, rest)
    assert calls["writes"] == 3
    roll_up_records(ctx, rest)
    assert roll_up_records(ctx, rest) == 0

    result = report(world)
    assert result["kpis"] == scenario.expected_kpis()
    assert result["channels"] == scenario.expected_channels()


def test_a_year_of_daily_activity_is_reported_with_a_bounded_number_of_reads(
    world: dict[str, Any],
) -> None:
    """A click every day of a year, 200 more on one busy day and a purchase every month: the
    report reads one rollup item per day (one Query page), the ranking index once and one
    Query per top referrer, whatever the number of events."""
    ctx = world["ctx"]
    reader = stream_reader()
    clock = ctx.clock
    start = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC) - timedelta(days=364)
    clock.at = start.timestamp() - 86400
    body = {"email": "busy@example.com", "name": "Busy Bee"}
    code = issue_code(ctx, "beans", body, is_admin=True)[0].code
    program, known, events = ctx.catalogue.get("beans"), KnownCodes(), 0
    # Purchases first, while the table is small: moto copies the whole table (stream
    # included) for every transaction. The order of writes does not matter to the rollups.
    for month in range(12):
        clock.at = start.timestamp() + month * 30 * 86400 + 7200
        order = {"event": "purchase", "order_id": f"o{month}", "amount": 10, "ref": code}
        attribute_conversion(ctx, program, parse_conversion(ctx, program, order))
        events += 1
    for day in range(365):
        clock.at = start.timestamp() + day * 86400 + 3600
        visitors = 201 if day == 100 else 1
        for visitor in range(visitors):
            ip = f"203.0.{visitor // 250}.{visitor % 250}"
            record_click(ctx, known, code, ip=ip, user_agent=BROWSER, counted=True)
            events += 1
    reader.drain(lambda records: roll_up_records(ctx, records), 1000)
    clock.at = NOW

    with counting(world["store"]) as reads:
        result = report(world, "since=1y")

    assert result["period"]["days"] == 365
    assert result["kpis"]["clicks"] == 365 + 200
    assert result["kpis"]["purchases"] == 12
    assert result["kpis"]["active_referrers"] == 1
    assert sum(day["clicks"] for day in result["daily"]) == 565
    assert result["top_referrers"][0]["clicks"] == 565
    # The admin key, one page of 365 daily rollups (and the totals), the ranking index, and
    # one Query of counter months (13 months of clicks and of conversions) for the leader.
    assert reads["calls"] == Counter(GetItem=1, Query=3)
    assert reads["items"] <= 1 + 365 + 1 + 1 + 2 * 13 < events


@contextmanager
def counting(store: DynamoStore) -> Iterator[dict[str, Any]]:
    """DynamoDB calls made, and items they returned, through the store's client."""
    reads: dict[str, Any] = {"calls": Counter[str](), "items": 0}

    def count(model: Any, parsed: Any, **kwargs: Any) -> None:
        reads["calls"][model.name] += 1
        reads["items"] += len(parsed.get("Items", [])) + (1 if parsed.get("Item") else 0)

    client = store.clients[0]
    client.meta.events.register("after-call.dynamodb", count)
    try:
        yield reads
    finally:
        client.meta.events.unregister("after-call.dynamodb", count)


def _relevant(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the rollups read (the others are skipped and not counted as applied)."""
    from chalicelib.store.stream import change_batch

    batch = change_batch(records)
    return list(batch.records) if batch else []
