"""Warm handler cost of a click, with the database faked in memory.

Lambda handlers are invoked in this process, in interleaved batches so machine noise hits
all of them alike:
- bare: a Chalice route that only answers 302 (the floor for a Chalice redirect), REST event;
- referbee on its Function URL: the click function (api/function_url.py), the deployed click
  path, with the URL's events (payload 2.0), on the in-memory store twin;
- referbee on the REST API: the real app (functions/app.py), REST event, same store;
- naive: the baseline click path of bench/naive.py on dicts, REST event.
"""

from __future__ import annotations

import copy
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import setup_paths

setup_paths()

ADMIN_KEY = "rk_bench_key_0123456789"
URL_CLICK = "referbee click (Function URL: the click function)"
REST_CLICK = "referbee click (REST API route)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


@dataclass
class HandlerCost:
    name: str
    microseconds: float  # median per invocation
    requests_per_click: float


class _Context:
    aws_request_id = "bench"
    function_name = "referbee"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:referbee"


def click_event(code: str, visitor: int) -> dict[str, Any]:
    return {
        "resource": "/r/{code}",
        "path": f"/r/{code}",
        "httpMethod": "GET",
        "headers": {"user-agent": BROWSER, "accept": "text/html"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"code": code},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/r/{code}",
            "httpMethod": "GET",
            "path": f"/api/r/{code}",
            "stage": "api",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "identity": {"sourceIp": f"198.51.{visitor // 250 % 250}.{visitor % 250}"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def url_event(code: str, visitor: int) -> dict[str, Any]:
    """The same click as `click_event`, as the click function's URL delivers it (2.0)."""
    ip = f"198.51.{visitor // 250 % 250}.{visitor % 250}"
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": f"/r/{code}",
        "rawQueryString": "",
        "headers": {"user-agent": BROWSER, "accept": "text/html"},
        "requestContext": {
            "domainName": "abc123.lambda-url.us-east-1.on.aws",
            "http": {"method": "GET", "path": f"/r/{code}", "sourceIp": ip},
        },
        "isBase64Encoded": False,
    }


def measure(rounds: int = 15, batch: int = 400) -> list[HandlerCost]:
    from chalice.app import Chalice, Response

    from app import app as referbee_app
    from bench.naive import NaiveMemoryClicks, naive_app
    from chalicelib.api import deps
    from chalicelib.api.function_url import serve_links
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import SystemClock
    from chalicelib.model.records import Referrer
    from chalicelib.store.memory import MemoryStore

    signer = Signer(b"bench-secret-0123456789")
    catalogue = parse_programs(DEMO_CONFIG)
    store = MemoryStore()
    store.referrers.create_referrer(
        Referrer("bench23", "demo", "k", "b@e.co", "Bench", time.time())
    )
    deps.use_context(Context(store, catalogue, signer, SystemClock()))

    bare = Chalice(app_name="bare")

    @bare.route("/r/{code}", methods=["GET"])
    def follow(code: str) -> Response:
        return Response(body=b"", status_code=302, headers={"Location": "https://example.com/"})

    naive_clicks = NaiveMemoryClicks({"bench23": "demo"})
    naive = naive_app(naive_clicks, catalogue.default.landing_url, signer)
    Handler = Callable[[dict[str, Any], Any], Any]
    Event = Callable[[str, int], dict[str, Any]]
    handlers: dict[str, tuple[Handler, Event]] = {
        "bare Chalice 302": (bare, click_event),
        URL_CLICK: (serve_links, url_event),
        REST_CLICK: (referbee_app, click_event),
        "naive click": (naive, click_event),
    }
    samples: dict[str, list[float]] = {name: [] for name in handlers}
    visitor = 0
    context = _Context()
    for name, (handler, event) in handlers.items():  # warm-up: imports, caches, regexes
        for _ in range(50):
            assert handler(event("bench23", visitor), context)["statusCode"] == 302, name
    for _ in range(rounds):
        for name, (handler, event) in handlers.items():
            events = [event("bench23", visitor + i) for i in range(batch)]
            visitor += batch
            start = time.perf_counter()
            for one in events:
                handler(one, context)
            samples[name].append((time.perf_counter() - start) / batch * 1e6)
    deps.use_context(None)
    clicks = 2 * (rounds * batch + 50)  # both referbee handlers wrote to the one store
    requests = {
        "bare Chalice 302": 0.0,
        URL_CLICK: store.requests / clicks,
        REST_CLICK: store.requests / clicks,
        "naive click": naive_clicks.requests / (rounds * batch + 50),
    }
    return [
        HandlerCost(name, statistics.median(samples[name]), requests[name]) for name in handlers
    ]


def table(results: list[HandlerCost]) -> str:
    floor = results[0].microseconds
    lines = [
        "| handler | median µs per click | ratio to bare 302 | store requests per click |",
        "|---|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.name} | {result.microseconds:.0f} | "
            f"{result.microseconds / floor:.2f}x | {result.requests_per_click:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))


def conversion_event(order: int) -> dict[str, Any]:
    body = json.dumps(
        {"event": "purchase", "order_id": f"o-{order}", "amount": 20, "ref": "bench23"}
    )
    return {
        "resource": "/v1/programs/{program}/conversions",
        "path": "/v1/programs/demo/conversions",
        "httpMethod": "POST",
        "headers": {"content-type": "application/json", "authorization": f"Bearer {ADMIN_KEY}"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"program": "demo"},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/v1/programs/{program}/conversions",
            "httpMethod": "POST",
            "path": "/api/v1/programs/demo/conversions",
            "stage": "api",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "identity": {"sourceIp": "203.0.113.9"},
        },
        "body": body,
        "isBase64Encoded": False,
    }


def measure_conversion(runs: int = 2000) -> float:
    """Median µs of a recorded API purchase through the handler, in-memory store."""
    from app import app as referbee_app
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.admin_keys import hash_key
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import SystemClock
    from chalicelib.model.records import AdminKey, Referrer
    from chalicelib.store.memory import MemoryStore

    store = MemoryStore()
    store.referrers.create_referrer(
        Referrer("bench23", "demo", "k", "b@e.co", "Bench", time.time())
    )
    store.admin_keys.put_admin_key(
        AdminKey(hash_key(ADMIN_KEY), "bench", ("*",), "write", time.time())
    )
    signer = Signer(b"bench-secret-0123456789")
    # One admin key sends them all, faster than its default limit (1,200 a minute) allows:
    # the limit is still checked and counted on every request, just never reached.
    config = copy.deepcopy(DEMO_CONFIG)
    config["programs"][0]["rate_limits"] = {"api": 100_000}
    deps.use_context(Context(store, parse_programs(config), signer, SystemClock()))
    context, timings = _Context(), []
    for order in range(runs):
        event = conversion_event(order)
        start = time.perf_counter()
        response = referbee_app(event, context)
        timings.append((time.perf_counter() - start) * 1e6)
        assert response["statusCode"] == 201, response
    deps.use_context(None)
    return statistics.median(timings[runs // 10 :])
