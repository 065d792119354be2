"""A viral code: its clicks spread over counter shards, every click is counted exactly once,
and the stats view is still one Query (issue 9, hot-code scale)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.local import CustomLocalChalice, LocalChalice

from chalicelib.api import deps, redirect
from chalicelib.domain.context import Context
from chalicelib.domain.referrals.clicks import HOT_SHARDS, KnownCodes
from chalicelib.model.errors import ThrottledError
from chalicelib.model.records import CLICKS, ClickCounted, Referrer
from chalicelib.store.memory import MemoryStore
from chalicelib.store.memory.clicks import MemoryClicks
from tests.common import BROWSER, NOW
from tests.helpers import count_requests

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
    """The threaded app, with a low hot threshold so the test sees sharding start."""
    app = threaded_app
    known = KnownCodes(hot_day_clicks=200)
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
    statuses = fire(app, 20, 500)
    assert statuses == [302] * 10_000
    assert known.is_hot(CODE)
    _, months = store.referrers.read_code(CODE)
    clicks = [m for m in months if m.kind == CLICKS]
    assert len(clicks) > HOT_SHARDS // 2  # the clicks really were spread
    assert sum(m.days()["2026-11-18"].clicks for m in clicks) == 10_000
    assert sum(m.days()["2026-11-18"].unique_clicks for m in clicks) == 10_000


def test_on_dynamodb_the_shards_are_items_and_stats_stay_one_query(
    handler: Any, dynamo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalice.test import Client

    app, known = handler
    monkeypatch.setenv("REFERBEE_API_URL", "https://api.example.net")
    store = dynamo_ctx.store
    store.referrers.create_referrer(Referrer(CODE, "shop", "k", "h@e.co", "Hot", NOW))
    deps.use_context(dynamo_ctx)
    assert fire(app, 8, 60) == [302] * 480
    assert known.is_hot(CODE)
    items = store.clients[0].query(
        TableName="referbee-test",
        KeyConditionExpression="PK = :pk AND begins_with(SK, :clicks)",
        ExpressionAttributeValues={":pk": {"S": f"CODE#{CODE}"}, ":clicks": {"S": "CLICKS#"}},
    )["Items"]
    assert len(items) > 2
    assert {i["SK"]["S"] for i in items} >= {"CLICKS#2026-11"}
    token = dynamo_ctx.signer.stats_token(CODE)
    with Client(app) as api:
        calls = count_requests(store, lambda: api.http.get(f"/v1/stats/{token}"))
        stats = json.loads(api.http.get(f"/v1/stats/{token}").body)
    # One Query reads the code's every item, shards included; the one write is the visitor's
    # rate-limit window (issue 6), which does not depend on the shards.
    assert calls == {"Query": 1, "UpdateItem": 1}
    assert (stats["clicks"], stats["unique_clicks"]) == (480, 480)


class ThrottlingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.clicks = ThrottlingClicks(self._state)


class ThrottlingClicks(MemoryClicks):
    """Throttles every write to the usual counter item (shard 0), as DynamoDB does to an
    item past its throughput."""

    def count_click(
        self,
        code: str,
        at: float,
        *,
        unique: bool,
        channel: str | None,
        page: str | None = None,
        shard: int = 0,
    ) -> ClickCounted | None:
        if shard == 0:
            raise ThrottledError("The database is busy (ThrottlingException); try again.")
        return super().count_click(code, at, unique=unique, channel=channel, page=page, shard=shard)


def test_a_throttled_counter_makes_the_code_hot_and_the_click_lands_on_a_shard(
    memory_ctx: Context,
) -> None:
    from dataclasses import replace

    from chalicelib.domain.referrals.clicks import record_click

    store = ThrottlingStore()
    store.referrers.create_referrer(Referrer(CODE, "shop", "k", "h@e.co", "Hot", NOW))
    ctx = replace(memory_ctx, store=store)
    known = KnownCodes(choose=lambda n: 0)  # even a chooser stuck on 0 must move off it
    redirect_ = record_click(ctx, known, CODE, ip="1.2.3.4", user_agent=BROWSER, counted=True)
    assert redirect_ is not None and redirect_.counted and not redirect_.degraded
    assert known.is_hot(CODE)
    _, months = store.referrers.read_code(CODE)
    assert sum(m.days()["2026-11-18"].clicks for m in months if m.kind == CLICKS) == 1
