"""A viral code: its clicks are written to each visitor's own item, every click is counted
exactly once by the rollups, and the stats view is still one Query (issue 9, hot-code scale;
issue 17, one write per click)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.local import CustomLocalChalice, LocalChalice

from chalicelib.api import deps, redirect
from chalicelib.domain.context import Context
from chalicelib.domain.referrals.clicks import KnownCodes, record_click
from chalicelib.model.records import CLICKS, Referrer
from chalicelib.store.memory import MemoryStore
from tests.common import BROWSER, NOW
from tests.helpers import count_requests
from tests.rollups import roll_up_stream, settle, stream_reader

CODE = "hot2345"


class _Context:
    aws_request_id = "test"
    function_name = "referbee"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:referbee"


def click_event(visitor: int) -> dict[str, Any]:
    return {
        "resource": "/r/{code}",
        "path": f"/r/{CODE}",
        "httpMethod": "GET",
        "headers": {"user-agent": BROWSER},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"code": CODE},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/r/{code}",
            "httpMethod": "GET",
            "stage": "api",
            "domainName": "abc.execute-api.us-east-1.amazonaws.com",
            "identity": {
                "sourceIp": f"10.{visitor // 65536 % 256}.{visitor // 256 % 256}.{visitor % 256}"
            },
        },
        "body": None,
        "isBase64Encoded": False,
    }


@pytest.fixture
def threaded_app() -> Iterator[Any]:
    """The app, with current_request kept per thread (as chalice local does) while the test
    runs, so each thread stands for one container. (Chalice blueprints belong to the last
    app they were registered on, so this uses the one app rather than a second.)"""
    from app import app

    original = type(app)
    CustomLocalChalice.__bases__ = (LocalChalice, original)
    app.__class__ = CustomLocalChalice
    yield app
    app.__class__ = original


@pytest.fixture
def handler(threaded_app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The threaded app, with one container's memory of codes shared by its threads."""
    app = threaded_app
    known = KnownCodes()
    monkeypatch.setattr(redirect, "known_codes", lambda: known)
    yield app, known
    deps.reset()


def fire(app: Any, threads: int, clicks: int) -> list[int]:
    statuses: list[int] = []
    barrier = threading.Barrier(threads)

    def worker(offset: int) -> None:
        barrier.wait()
        for n in range(clicks):
            statuses.append(app(click_event(offset * clicks + n), _Context())["statusCode"])

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return statuses


def test_20_threads_x_500_clicks_on_one_code_count_exactly_10000(
    handler: Any, memory_ctx: Context
) -> None:
    app, known = handler
    store = memory_ctx.store
    assert isinstance(store, MemoryStore)
    store.referrers.create_referrer(Referrer(CODE, "shop", "k", "h@e.co", "Hot", NOW))
    deps.use_context(memory_ctx)
    before = store.requests
    statuses = fire(app, 20, 500)
    assert statuses == [302] * 10_000
    assert known.program_of(CODE) == "shop"
    # One write per click, each on its own visitor's item (no item of a hot code takes more
    # than one), plus the code's program read by the threads that met it first.
    assert 10_000 < store.requests - before <= 10_000 + 20
    assert len(store._state.visits) == 10_000
    assert settle(memory_ctx) == 10_000
    _, months = store.referrers.read_code(CODE)
    clicks = [m for m in months if m.kind == CLICKS]
    assert sum(m.days()["2026-11-18"].clicks for m in clicks) == 10_000
    assert sum(m.days()["2026-11-18"].unique_clicks for m in clicks) == 10_000


def test_on_dynamodb_a_hot_codes_counters_take_one_write_per_batch_and_stats_one_query(
    handler: Any, dynamo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalice.test import Client

    app, _ = handler
    monkeypatch.setenv("REFERBEE_API_URL", "https://api.example.net")
    store = dynamo_ctx.store
    store.referrers.create_referrer(Referrer(CODE, "shop", "k", "h@e.co", "Hot", NOW))
    deps.use_context(dynamo_ctx)
    reader = stream_reader()
    assert fire(app, 8, 60) == [302] * 480
    visits = store.clients[0].scan(
        TableName="referbee-test",
        FilterExpression="begins_with(PK, :visit)",
        ExpressionAttributeValues={":visit": {"S": "VISIT#"}},
    )["Items"]
    assert len(visits) == 480  # every click on its own visitor's item
    calls = count_requests(store, lambda: roll_up_stream(dynamo_ctx, reader, batch=100))
    # 480 visit records (and the referrer's) in 5 deliveries: one transaction each adds the
    # delivery's clicks to the code's counter item once; one more counts the referrer joining.
    assert calls["TransactWriteItems"] == 5 + 1
    items = store.clients[0].query(
        TableName="referbee-test",
        KeyConditionExpression="PK = :pk AND begins_with(SK, :clicks)",
        ExpressionAttributeValues={":pk": {"S": f"CODE#{CODE}"}, ":clicks": {"S": "CLICKS#"}},
    )["Items"]
    assert [i["SK"]["S"] for i in items] == ["CLICKS#2026-11#stream"]
    token = dynamo_ctx.signer.stats_token(CODE)
    with Client(app) as api:
        calls = count_requests(store, lambda: api.http.get(f"/v1/stats/{token}"))
        stats = json.loads(api.http.get(f"/v1/stats/{token}").body)
    assert calls == {"Query": 1}  # no write: the rate limit is kept in the process
    assert (stats["clicks"], stats["unique_clicks"]) == (480, 480)


def test_clicks_counted_by_the_old_click_path_still_add_up(dynamo_ctx: Context) -> None:
    """Counter items written by the click path itself (before clicks were counted from the
    stream, a hot code's spread over shards) are read with the rollups' own."""
    store = dynamo_ctx.store
    store.referrers.create_referrer(Referrer(CODE, "shop", "k", "h@e.co", "Hot", NOW))
    for sk, clicks in (("CLICKS#2026-11", 5), ("CLICKS#2026-11#03", 7)):
        store.clients[0].put_item(
            TableName="referbee-test",
            Item={
                "PK": {"S": f"CODE#{CODE}"},
                "SK": {"S": sk},
                "program": {"S": "shop"},
                "c18": {"N": str(clicks)},
            },
        )
    record_click(dynamo_ctx, KnownCodes(), CODE, ip="1.2.3.4", user_agent=BROWSER, counted=True)
    settle(dynamo_ctx)
    _, months = store.referrers.read_code(CODE)
    assert sum(m.days()["2026-11-18"].clicks for m in months if m.kind == CLICKS) == 13
