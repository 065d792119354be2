"""Warm handler cost of a click with the real DynamoDB client, its requests answered in memory.

The in-memory twin measurement (bench/handler_cost.py) replaces each path's store with
Python data structures, which leaves out what a DynamoDB request costs the Lambda itself:
botocore building the request, signing it (SigV4) and parsing the answer. Here both paths
run their production store code (referbee's DynamoStore; bench/naive.py's NaiveDynamoClicks)
on a real boto3 client, and each request is answered at botocore's `before-send` hook, just
before it would go on the network, with the answer moto gave to the same request of the
same click (recorded first). Everything but the network and DynamoDB itself runs.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bench import handler_cost, setup_paths
from bench.handler_cost import HandlerCost, _Context, click_event

setup_paths()

TABLE = "bench"
CODE = "bench23"
NOW = 1_795_000_000.0  # recorded and replayed at the same instant: the same day's counters
Answer = tuple[str, bytes]  # (operation, JSON body)


@dataclass
class _Body:
    data: bytes

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


class Replayer:
    """Answers a client's requests, in order and in a loop, with recorded answers; a request
    for another operation than the recording's next one is an error, so the measured path
    is the recorded one."""

    def __init__(self, client: Any, answers: list[Answer]) -> None:
        self.answers = answers
        self.position = 0
        self.requests = 0
        client.meta.events.register_first("before-send.dynamodb", self._answer)

    def _answer(self, request: Any, event_name: str, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse

        operation, body = self.answers[self.position]
        asked = event_name.rsplit(".", 1)[-1]
        if asked != operation:
            raise AssertionError(f"the click asked for {asked}, the recording has {operation}")
        self.position = (self.position + 1) % len(self.answers)
        self.requests += 1
        headers = {"x-amzn-requestid": "bench", "content-type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, 200, headers, _Body(body))


class _Recording:
    def __init__(self, client: Any) -> None:
        self.answers: list[Answer] = []
        client.meta.events.register("after-call.dynamodb", self._record)

    def _record(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
        self.answers.append((model.name, json.dumps(body).encode()))


def record() -> tuple[list[Answer], list[Answer]]:
    """moto's answers to one common-path referbee click (a new visitor on a code the
    container has met) and to one naive click."""
    import boto3
    from moto import mock_aws

    from app import app as referbee_app
    from bench.naive import NaiveDynamoClicks
    from chalicelib.api import deps
    from chalicelib.model.clock import FixedClock
    from chalicelib.model.records import Referrer
    from chalicelib.store.table import create_table

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, TABLE)
        deps.known_codes.cache_clear()  # a fresh container: it meets the code below
        _use_store(client, FixedClock(NOW))
        deps.context().store.referrers.create_referrer(  # type: ignore[attr-defined]
            Referrer(CODE, "demo", "k", "b@e.co", "Bench", NOW)
        )
        context = _Context()
        referbee_app(click_event(CODE, 0), context)  # the container learns the code's program
        recording = _Recording(client)
        assert referbee_app(click_event(CODE, 1), context)["statusCode"] == 302
        referbee_answers = list(recording.answers)
        recording.answers.clear()
        NaiveDynamoClicks(client, TABLE).click(CODE, "visitor", NOW)
        naive_answers = list(recording.answers)
        deps.use_context(None)
    return referbee_answers, naive_answers


def measure(rounds: int = 15, batch: int = 200) -> list[HandlerCost]:
    import boto3
    from chalice.app import Chalice, Response

    from app import app as referbee_app
    from bench.naive import NaiveDynamoClicks, naive_app
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import FixedClock

    referbee_answers, naive_answers = record()
    referbee_client = boto3.client("dynamodb", region_name="us-east-1")
    naive_client = boto3.client("dynamodb", region_name="us-east-1")
    referbee_db = Replayer(referbee_client, referbee_answers)
    naive_db = Replayer(naive_client, naive_answers)
    _use_store(referbee_client, FixedClock(NOW))

    bare = Chalice(app_name="bare")

    @bare.route("/r/{code}", methods=["GET"])
    def follow(code: str) -> Response:
        return Response(body=b"", status_code=302, headers={"Location": "https://example.com/"})

    landing = parse_programs(DEMO_CONFIG).default.landing_url
    naive = naive_app(
        NaiveDynamoClicks(naive_client, TABLE), landing, Signer(b"bench-secret-0123456789")
    )
    handlers: dict[str, Callable[[dict[str, Any], Any], Any]] = {
        "bare Chalice 302": bare,
        "referbee click": referbee_app,
        "naive click": naive,
    }
    samples: dict[str, list[float]] = {name: [] for name in handlers}
    context, visitor = _Context(), 10
    for name, handler in handlers.items():  # warm-up: imports, caches, the clients' setup
        for _ in range(30):
            assert handler(click_event(CODE, visitor), context)["statusCode"] == 302, name
    counted = {"referbee click": referbee_db.requests, "naive click": naive_db.requests}
    for _ in range(rounds):
        for name, handler in handlers.items():
            events = [click_event(CODE, visitor + i) for i in range(batch)]
            visitor += batch
            start = time.perf_counter()
            for event in events:
                handler(event, context)
            samples[name].append((time.perf_counter() - start) / batch * 1e6)
    deps.use_context(None)
    clicks = rounds * batch
    requests = {
        "bare Chalice 302": 0.0,
        "referbee click": (referbee_db.requests - counted["referbee click"]) / clicks,
        "naive click": (naive_db.requests - counted["naive click"]) / clicks,
    }
    return [
        HandlerCost(name, statistics.median(samples[name]), requests[name]) for name in handlers
    ]


def table(results: list[HandlerCost]) -> str:
    by_name = {result.name: result for result in results}
    referbee, naive = by_name["referbee click"], by_name["naive click"]
    return (
        handler_cost.table(results)
        + "\n\n- referbee click / naive click: "
        + f"**{referbee.microseconds / naive.microseconds:.2f}x**"
        " (each DynamoDB request costs the handler botocore's work: one request fewer is"
        " what the in-memory twin cannot show)"
    )


def _use_store(client: Any, clock: Any) -> None:
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.store.dynamo import DynamoStore

    store = DynamoStore(client, TABLE)
    signer = Signer(b"bench-secret-0123456789")
    deps.use_context(Context(store, parse_programs(DEMO_CONFIG), signer, clock))


if __name__ == "__main__":
    print(table(measure()))
