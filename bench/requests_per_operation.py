"""DynamoDB requests per refkit operation, counted through botocore's event hooks.

Every operation goes through the real Chalice handler (chalice.test.Client) and the real
DynamoStore, against moto. The counts are what sets cost and latency on AWS.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
os.environ.update(
    AWS_ACCESS_KEY_ID="bench",
    AWS_SECRET_ACCESS_KEY="bench",
    AWS_DEFAULT_REGION="us-east-1",
    POWERTOOLS_METRICS_DISABLED="true",
    POWERTOOLS_LOG_LEVEL="ERROR",
)

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


class RequestCounter:
    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **kwargs: Any) -> None:
        self.calls[model.name] += 1

    def measure(self, action: Callable[[], Any]) -> Counter[str]:
        self.calls.clear()
        action()
        return Counter(self.calls)


def run() -> list[tuple[str, Counter[str]]]:
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib.api import deps
    from chalicelib.domain.admin import hash_key
    from chalicelib.domain.clock import FixedClock
    from chalicelib.domain.context import Context
    from chalicelib.domain.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.signing import Signer
    from chalicelib.store.dynamo import DynamoStore
    from chalicelib.store.records import AdminKey
    from chalicelib.store.table import create_table

    results: list[tuple[str, Counter[str]]] = []
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "bench")
        store = DynamoStore(client, "bench")
        clock = FixedClock(1_795_000_000.0)
        deps.use_context(
            Context(store, parse_programs(DEMO_CONFIG), Signer(b"bench-secret-0123456789"), clock)
        )
        store.put_admin_key(
            AdminKey(hash_key("rk_bench_key_0123456789"), "bench", ("*",), "write", clock.now())
        )
        counter = RequestCounter(client)
        auth = {
            "authorization": "Bearer rk_bench_key_0123456789",
            "content-type": "application/json",
        }
        with Client(app) as api:

            def post(path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
                return api.http.post(
                    path,
                    body=json.dumps(body).encode(),
                    headers=headers or {"content-type": "application/json"},
                )

            def issue() -> Any:
                return post("/v1/programs/demo/referrers", {"email": "jane@example.com"})

            results.append(("code issuance, new referrer", counter.measure(issue)))
            code = json.loads(issue().body)["code"]
            token = json.loads(issue().body)["stats_token"]
            results.append(("code issuance, returning referrer", counter.measure(issue)))

            def click(agent: str) -> Callable[[], Any]:
                return lambda: api.http.get(f"/r/{code}", headers={"user-agent": agent})

            results.append(
                ("click, first of the month for the code", counter.measure(click(BROWSER + " a")))
            )
            results.append(
                ("click, new visitor (common path)", counter.measure(click(BROWSER + " b")))
            )
            results.append(("click, returning visitor", counter.measure(click(BROWSER + " b"))))
            results.append(
                ("click, bot or HEAD (not counted)", counter.measure(click("Slackbot 1.0")))
            )
            results.append(
                (
                    "conversion, pixel signup",
                    counter.measure(
                        lambda: api.http.get(
                            f"/p.gif?program=demo&event=signup&order=u1&ref={code}"
                        )
                    ),
                )
            )
            purchase = {"event": "purchase", "order_id": "o1", "amount": 20, "ref": code}
            results.append(
                (
                    "conversion, API purchase (admin key)",
                    counter.measure(lambda: post("/v1/programs/demo/conversions", purchase, auth)),
                )
            )
            results.append(
                (
                    "conversion, API purchase repeated",
                    counter.measure(lambda: post("/v1/programs/demo/conversions", purchase, auth)),
                )
            )
            results.append(
                ("stats view", counter.measure(lambda: api.http.get(f"/v1/stats/{token}")))
            )
        deps.use_context(None)
    return results


def table(results: list[tuple[str, Counter[str]]]) -> str:
    lines = ["| operation | requests | writes | calls |", "|---|---:|---:|---|"]
    for name, calls in results:
        writes = sum(n for op, n in calls.items() if op in WRITES)
        detail = ", ".join(f"{op} x{n}" if n > 1 else op for op, n in sorted(calls.items()))
        lines.append(f"| {name} | {sum(calls.values())} | {writes} | {detail} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
