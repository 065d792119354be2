"""DynamoDB requests and capacity units per referbee operation.

Requests are counted with botocore's `before-call` event hook; capacity units are computed
from real item sizes by bench/capacity.py. Every operation goes through the real Chalice
handler (chalice.test.Client) and the real DynamoStore, against moto.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench import setup_paths
from bench.capacity import CapacityMeter, Units

setup_paths()

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
ADMIN_KEY = "rk_bench_key_0123456789"

Measured = tuple[str, Counter[str], Units]
MONTH = 31 * 86400
CLICK_NEW_CODE = "click, first on a code this container has not met (reads its program once)"


class RequestCounter:
    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **kwargs: Any) -> None:
        self.calls[model.name] += 1


class Recorder:
    """Runs operations one by one and records the requests and capacity units of each."""

    def __init__(self, client: Any, reader: Any, table: str) -> None:
        self.counter = RequestCounter(client)
        self.meter = CapacityMeter(client, reader, table)
        self.results: list[Measured] = []

    def record(self, name: str, action: Callable[[], Any]) -> Any:
        self.counter.calls.clear()
        self.meter.reset()
        result = action()
        self.results.append((name, Counter(self.counter.calls), self.meter.reset()))
        return result


def run() -> list[Measured]:
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.admin_keys import hash_key
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import FixedClock
    from chalicelib.model.records import AdminKey
    from chalicelib.store.dynamo import DynamoStore
    from chalicelib.store.table import create_table

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "bench")
        store = DynamoStore(client, "bench")
        clock = FixedClock(1_795_000_000.0)
        catalogue = parse_programs(DEMO_CONFIG)
        signer = Signer(b"bench-secret-0123456789")
        deps.use_context(Context(store, catalogue, signer, clock))
        store.admin_keys.put_admin_key(
            AdminKey(hash_key(ADMIN_KEY), "bench", ("*",), "write", clock.now())
        )
        recorder = Recorder(client, boto3.client("dynamodb", region_name="us-east-1"), "bench")
        record = recorder.record
        auth = {"authorization": f"Bearer {ADMIN_KEY}", "content-type": "application/json"}

        with Client(app) as api:

            def post(path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
                return api.http.post(
                    path,
                    body=json.dumps(body).encode(),
                    headers=headers or {"content-type": "application/json"},
                )

            def issue() -> Any:
                # From the referrer's own browser: conversions below come from others.
                headers = {"content-type": "application/json", "user-agent": BROWSER + " r"}
                return post("/v1/programs/demo/referrers", {"email": "jane@example.com"}, headers)

            # Anonymous (the demo program has no identity_secret): the stats link is emailed.
            issued = json.loads(record("code issuance, new referrer", issue).body)
            record("code issuance, returning referrer", issue)
            trusted = record(
                "code issuance, returning referrer, admin key",
                lambda: post("/v1/programs/demo/referrers", {"email": "jane@example.com"}, auth),
            )
            code, token = issued["code"], json.loads(trusted.body)["stats_token"]

            def click(agent: str) -> Callable[[], Any]:
                return lambda: api.http.get(f"/r/{code}", headers={"user-agent": agent})

            record(CLICK_NEW_CODE, click(BROWSER + " a"))
            record("click, new visitor (common path)", click(BROWSER + " b"))
            record("click, returning visitor", click(BROWSER + " b"))
            clock.advance(MONTH)
            record("click, first of the month for the code", click(BROWSER + " e"))
            clock.advance(-MONTH)
            record("click, bot or HEAD (not counted)", click("Slackbot 1.0"))
            landing = api.http.get(f"/r/{code}", headers={"user-agent": BROWSER + " c"})
            click_id = parse_qs(urlsplit(landing.headers["Location"]).query)["click"][0]

            def pixel(order: str, referral: str, agent: str) -> Callable[[], Any]:
                query = f"program=demo&event=signup&order={order}&{referral}"
                return lambda: api.http.get(f"/p.gif?{query}", headers={"user-agent": agent})

            # The widget's pixel carries the click id of the link the visitor followed.
            record("conversion, pixel signup", pixel("u1", f"click={click_id}", BROWSER + " c"))
            record(
                "conversion, pixel signup with a bare ref (reads the visitor's touchpoints)",
                pixel("u2", f"ref={code}", BROWSER + " d"),
            )
            claim = {"event": "purchase", "order_id": "o2", "amount": 20, "click_id": click_id}
            beacon = {"content-type": "text/plain", "user-agent": BROWSER + " c"}
            record(
                "conversion, beacon purchase (a claim: rewards wait)",
                lambda: post("/v1/programs/demo/beacon", claim, beacon),
            )
            record(
                "confirmation of the beacon's purchase, API (admin key)",
                lambda: post("/v1/programs/demo/conversions", {**claim, "amount": 25}, auth),
            )
            purchase = {"event": "purchase", "order_id": "o1", "amount": 20, "ref": code}
            record(
                "conversion, API purchase (admin key)",
                lambda: post("/v1/programs/demo/conversions", purchase, auth),
            )
            record(
                "conversion, API purchase repeated",
                lambda: post("/v1/programs/demo/conversions", purchase, auth),
            )
            record("stats view", lambda: api.http.get(f"/v1/stats/{token}"))

            def ask_signin(email: str) -> Callable[[], Any]:
                return lambda: post("/v1/programs/demo/signin", {"email": email})

            record("sign-in link, known email", ask_signin("jane@example.com"))
            record("sign-in link, unknown email", ask_signin("nobody@example.com"))
            queued = store.outbox.due_messages(clock.now())
            [sent] = [m for m in queued if m.event_type == "sign_in"]
            nonce = json.loads(sent.body)["merge"]["nonce"]
            confirm = {"token": signer.signin_token(nonce)}
            record(
                "sign-in link followed (confirmed)",
                lambda: post("/v1/programs/demo/signin/confirm", confirm),
            )
            rotate = {"email": "jane@example.com"}
            record(
                "stats token rotation (admin key)",
                lambda: post("/v1/programs/demo/referrers/rotate-token", rotate, auth),
            )
        deps.use_context(None)
        record(
            "naive click (baseline: read code, put event, update counter)",
            _naive_click(client, code, catalogue.default.landing_url),
        )
    return recorder.results


def _naive_click(client: Any, code: str, landing: str) -> Callable[[], Any]:
    from chalice.test import Client

    from bench.naive import NaiveDynamoClicks, naive_app
    from chalicelib.domain.trust.signing import Signer

    app = naive_app(NaiveDynamoClicks(client, "bench"), landing, Signer(b"bench-secret-0123456789"))

    def click() -> Any:
        with Client(app) as naive:
            response = naive.http.get(f"/r/{code}", headers={"user-agent": BROWSER + " n"})
            assert response.status_code == 302
            return response

    return click


def units_of(results: list[Measured], name: str) -> Units:
    return next(units for label, _, units in results if label == name)


def requests_of(results: list[Measured], name: str) -> int:
    return next(sum(calls.values()) for label, calls, _ in results if label == name)


def table(results: list[Measured]) -> str:
    lines = [
        "| operation | requests | writes | read units | write units | calls |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, calls, units in results:
        writes = sum(n for op, n in calls.items() if op in WRITES)
        detail = ", ".join(f"{op} x{n}" if n > 1 else op for op, n in sorted(calls.items()))
        lines.append(
            f"| {name} | {sum(calls.values())} | {writes} | {units.read:g} | "
            f"{units.write:g} | {detail} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
