"""Signed webhooks to a receiver on 127.0.0.1: verified with the snippet from
docs/webhooks.md, retried on failure per the schedule, and logged."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.api import deps
from chalicelib.domain.context import Context, Links
from chalicelib.domain.outbox.dispatch import RETRY_DELAYS, dispatch_due
from chalicelib.model.clock import FixedClock
from chalicelib.outbound import Outbound
from chalicelib.store.dynamo import DynamoStore
from tests.common import ADMIN_KEY, NOW, install_keys
from tests.helpers import body_of
from tests.incentives import WEBHOOK_SECRET, add_referrer, context_for, incentive_document, purchase
from tests.receiver import Receiver

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
LINKS = Links("https://api.example.net", "https://refer.example.net")


def documented_verifier() -> Callable[..., bool]:
    """The receiver's check exactly as docs/webhooks.md prints it."""
    text = DOCS.read_text()
    snippet = re.search(r"<!-- verify-snippet -->\n```python\n(.*?)```", text, re.DOTALL)
    assert snippet, "docs/webhooks.md lost its verification snippet"
    namespace: dict[str, Any] = {}
    exec(compile(snippet.group(1), str(DOCS), "exec"), namespace)
    verify: Callable[..., bool] = namespace["verify_referbee_webhook"]
    return verify


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(dynamo_store: DynamoStore, clock: FixedClock, receiver: Receiver) -> Context:
    friend = {"text": "100 points", "kind": "points", "points": 100}
    document = incentive_document(
        hold_days=0,
        friend=friend,
        webhooks=[{"url": receiver.url, "secret": WEBHOOK_SECRET}],
    )
    context = context_for(dynamo_store, document, clock)
    add_referrer(context)
    return context


def dispatch(ctx: Context, tmp_path: Path) -> list[Any]:
    """The webhook attempts of one dispatcher run (the program's emails go to a folder)."""
    outbound = Outbound(outbox_dir=tmp_path / "outbox", region="us-east-1")
    return [a for a in dispatch_due(ctx, outbound, LINKS) if a.target.startswith("webhook:")]


def test_deliveries_are_signed_and_the_documented_snippet_verifies_them(
    ctx: Context, receiver: Receiver, tmp_path: Path
) -> None:
    purchase(ctx, "o1")
    purchase(ctx, "o1")  # a retry of the same order announces nothing new
    assert {a.outcome for a in dispatch(ctx, tmp_path)} == {"delivered"}
    events = [json.loads(r.body) for r in receiver.received]
    assert sorted(e["type"] for e in events) == [
        "conversion.created",
        "reward.approved",
        "reward.approved",
        "reward.issued",
        "reward.issued",
    ]
    created = next(e for e in events if e["type"] == "conversion.created")
    assert created["data"]["order_id"] == "o1" and created["program"] == "beans"
    assert {r["side"] for r in created["data"]["rewards"]} == {"referrer", "friend"}

    verify = documented_verifier()
    for request in receiver.received:
        assert request.path == "/hooks/referbee"
        assert request.headers["referbee-event-id"] == json.loads(request.body)["id"]
        assert verify(WEBHOOK_SECRET, request.headers, request.body, now=NOW + 5)
        assert not verify("whsec_another_secret_000000", request.headers, request.body, now=NOW)
        assert not verify(WEBHOOK_SECRET, request.headers, request.body + b" ", now=NOW)
        assert not verify(WEBHOOK_SECRET, request.headers, request.body, now=NOW + 301)
    assert dispatch(ctx, tmp_path) == []  # nothing is sent twice


def test_a_receiver_that_fails_twice_gets_the_event_once_more_per_schedule(
    dynamo_store: DynamoStore, receiver: Receiver, clock: FixedClock, tmp_path: Path
) -> None:
    hook = {"url": receiver.url, "secret": WEBHOOK_SECRET, "events": ["conversion.created"]}
    ctx = context_for(dynamo_store, incentive_document(hold_days=0, webhooks=[hook]), clock)
    add_referrer(ctx)
    purchase(ctx, "o2")
    receiver.statuses = [500, 500]  # fails twice, then succeeds

    assert [(a.attempt, a.outcome, a.http_status) for a in dispatch(ctx, tmp_path)] == [
        (1, "retry", 500)
    ]
    clock.advance(RETRY_DELAYS[0] - 1)
    assert dispatch(ctx, tmp_path) == []  # not due yet: 30 s after the first attempt
    clock.advance(1)
    assert [(a.attempt, a.outcome) for a in dispatch(ctx, tmp_path)] == [(2, "retry")]
    clock.advance(RETRY_DELAYS[1] - 1)
    assert dispatch(ctx, tmp_path) == []  # 60 s after the second
    clock.advance(1)
    assert [(a.attempt, a.outcome, a.http_status) for a in dispatch(ctx, tmp_path)] == [
        (3, "delivered", 200)
    ]
    for _ in range(3):
        clock.advance(RETRY_DELAYS[-1])
        assert dispatch(ctx, tmp_path) == []  # delivered: never again

    assert len(receiver.received) == 3
    bodies = {r.body for r in receiver.received}
    assert len(bodies) == 1  # the same event, byte for byte
    assert [r.headers["referbee-delivery-attempt"] for r in receiver.received] == ["1", "2", "3"]
    stamps = [int(r.headers["referbee-timestamp"]) for r in receiver.received]
    assert stamps == [NOW, NOW + 30, NOW + 90]
    verify = documented_verifier()
    for request, stamp in zip(receiver.received, stamps, strict=True):
        assert verify(WEBHOOK_SECRET, request.headers, request.body, now=stamp)

    from chalice.test import Client

    from app import app

    deps.reset()
    deps.use_context(ctx)
    install_keys(ctx.store)
    try:
        with Client(app) as api:
            answer = api.http.get(
                "/v1/programs/beans/webhooks/log",
                headers={"authorization": f"Bearer {ADMIN_KEY}"},
            )
    finally:
        deps.reset()
    event_id = json.loads(receiver.received[0].body)["id"]
    log = [line for line in body_of(answer)["deliveries"] if line["event_id"] == event_id]
    assert [(line["attempt"], line["outcome"], line["http_status"]) for line in log] == [
        (3, "delivered", 200),
        (2, "retry", 500),
        (1, "retry", 500),
    ]
    assert [line["next_attempt_at"] for line in log] == [
        None,
        "2026-11-18T11:08:10Z",  # NOW + 90 s
        "2026-11-18T11:07:10Z",  # NOW + 30 s
    ]
    assert all(line["event"] == "conversion.created" for line in log)


def test_the_retry_schedule_lasts_more_than_a_day() -> None:
    assert sum(RETRY_DELAYS) > 24 * 3600
    assert all(b == 2 * a for a, b in itertools.pairwise(RETRY_DELAYS))


def test_an_endpoint_that_never_answers_is_marked_failed_after_the_last_retry(
    dynamo_store: DynamoStore, clock: FixedClock, tmp_path: Path
) -> None:
    document = incentive_document(
        hold_days=0,
        webhooks=[
            {
                "url": "http://127.0.0.1:9/unreachable",
                "secret": WEBHOOK_SECRET,
                "events": ["conversion.created"],
            }
        ],
    )
    ctx = context_for(dynamo_store, document, clock)
    add_referrer(ctx)
    ctx.store.coupons.add_coupons("beans", "welcome", ["W1"])
    purchase(ctx, "o1")
    outcomes = []
    for delay in (0, *RETRY_DELAYS):
        clock.advance(delay)
        outcomes += [(a.attempt, a.outcome) for a in dispatch(ctx, tmp_path)]
    assert outcomes[-1] == (13, "failed") and len(outcomes) == 13
    assert all(outcome == "retry" for _, outcome in outcomes[:-1])
    clock.advance(10**6)
    assert dispatch(ctx, tmp_path) == []
    assert "no answer from the endpoint" in ctx.store.outbox.delivery_log("beans", 1)[0].error
