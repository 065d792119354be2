"""Signed webhooks to a receiver on 127.0.0.1: verified with the snippet from
docs/webhooks.md, retried on failure per the schedule, and logged."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.api import deps
from chalicelib.domain.clock import FixedClock
from chalicelib.domain.context import Context, Links
from chalicelib.domain.dispatch import RETRY_DELAYS, dispatch_due
from chalicelib.outbound import Outbound
from chalicelib.store.dynamo import DynamoStore
from tests.conftest import ADMIN_KEY, NOW, install_keys
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
    verify: Callable[..., bool] = namespace["verify_refkit_webhook"]
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
        assert request.path == "/hooks/refkit"
        assert request.headers["refkit-event-id"] == json.loads(request.body)["id"]
        assert verify(WEBHOOK_SECRET, request.headers, request.body, now=NOW + 5)
        assert not verify("whsec_another_secret_000000", request.headers, request.body, now=NOW)
        assert not verify(WEBHOOK_SECRET, request.headers, request.body + b" ", now=NOW)
        assert not verify(WEBHOOK_SECRET, request.headers, request.body, now=NOW + 301)
    assert dispatch(ctx, tmp_path) == []  # nothing is sent twice


def test_a_failing_receiver_gets_the_event_again_per_schedule_and_the_log_shows_it(
    ctx: Context,
    receiver: Receiver,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = incentive_document(
        hold_days=0,
        webhooks=[{"url": receiver.url, "secret": WEBHOOK_SECRET, "events": ["reward.issued"]}],
    )
    narrowed = context_for(ctx.store, document, clock)
    narrowed.store.add_coupons("beans", "welcome", ["W1"])
    receiver.statuses = [500, 503]
    rewards = {r.reward_id for r in purchase(narrowed, "o2").rewards}
    first = dispatch(narrowed, tmp_path)
    assert [(a.outcome, a.http_status) for a in first] == [("retry", 500), ("retry", 503)]
    receiver.statuses = [500, 200]  # one event fails a second time, the other goes through

    clock.advance(RETRY_DELAYS[0] - 1)
    assert dispatch(narrowed, tmp_path) == []  # not due yet
    clock.advance(1)
    second = dispatch(narrowed, tmp_path)
    assert [(a.attempt, a.outcome) for a in second] == [(2, "retry"), (2, "delivered")]
    clock.advance(RETRY_DELAYS[1])
    third = dispatch(narrowed, tmp_path)
    assert [(a.attempt, a.outcome, a.http_status) for a in third] == [(3, "delivered", 200)]
    clock.advance(RETRY_DELAYS[-1] * 2)
    assert dispatch(narrowed, tmp_path) == []

    ids = Counter(json.loads(r.body)["data"]["id"] for r in receiver.received)
    assert set(ids) == rewards and sorted(ids.values()) == [2, 3]
    retried = next(
        json.loads(r.body)["id"]
        for r in receiver.received
        if r.headers["refkit-delivery-attempt"] == "3"
    )
    attempts = [r.headers["refkit-delivery-attempt"] for r in receiver.received]
    assert sorted(attempts) == ["1", "1", "2", "2", "3"]
    verify = documented_verifier()
    stamps = [int(r.headers["refkit-timestamp"]) for r in receiver.received]
    for request, stamp in zip(receiver.received, stamps, strict=True):
        assert verify(WEBHOOK_SECRET, request.headers, request.body, now=stamp)
    assert stamps[0] == NOW and max(stamps) == NOW + RETRY_DELAYS[0] + RETRY_DELAYS[1]

    from chalice.test import Client

    from app import app

    deps.reset()
    deps.use_context(narrowed)
    install_keys(narrowed.store)
    try:
        with Client(app) as api:
            log = body_of(
                api.http.get(
                    "/v1/programs/beans/webhooks/log",
                    headers={"authorization": f"Bearer {ADMIN_KEY}"},
                )
            )["deliveries"]
    finally:
        deps.reset()
    mine = [line for line in log if line["event_id"] == retried]
    assert [(line["attempt"], line["outcome"], line["http_status"]) for line in mine] == [
        (3, "delivered", 200),
        (2, "retry", 500),
        (1, "retry", 500),
    ]
    assert mine[1]["next_attempt_at"] == "2026-11-18T11:08:10Z"


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
    ctx.store.add_coupons("beans", "welcome", ["W1"])
    purchase(ctx, "o1")
    outcomes = []
    for delay in (0, *RETRY_DELAYS):
        clock.advance(delay)
        outcomes += [(a.attempt, a.outcome) for a in dispatch(ctx, tmp_path)]
    assert outcomes[-1] == (13, "failed") and len(outcomes) == 13
    assert all(outcome == "retry" for _, outcome in outcomes[:-1])
    clock.advance(10**6)
    assert dispatch(ctx, tmp_path) == []
    assert "no answer from the endpoint" in ctx.store.delivery_log("beans", 1)[0].error
