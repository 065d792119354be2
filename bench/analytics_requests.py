"""DynamoDB requests of program analytics, counted like requests_per_operation: the click path
with a channel and a landing page (one write: they ride on the visit write), the rollup
function's work per batch of stream records (which counts the clicks), and reports over a
month and a year."""

from __future__ import annotations

import copy
import json
from typing import Any

from bench.requests_per_operation import BROWSER, Measured, Recorder, table

KEY = "rk_bench_analytics_key_0123456789"
DAY = 86400
BATCH_CLICKS, BATCH_CODES = 1000, 100
ROLLUP_BATCH = f"rollup of {BATCH_CLICKS:,} clicks on {BATCH_CODES} codes (one delivery)"


def run() -> list[Measured]:
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib.api import deps
    from chalicelib.api.rollups import roll_up_records
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.admin_keys import hash_key
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import FixedClock
    from chalicelib.model.records import AdminKey
    from chalicelib.store.dynamo import DynamoStore
    from chalicelib.store.table import create_table
    from referbee.devstack.streams import StreamReader
    from referbee.devstack.transactions import roll_back_transactions_by_key

    document = copy.deepcopy(DEMO_CONFIG)
    document["programs"][0]["landing_pages"] = {"sale": "http://localhost:8001/shop/sale"}
    roll_back_transactions_by_key()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "bench")
        store = DynamoStore(client, "bench")
        clock = FixedClock(1_795_000_000.0 - 365 * DAY)
        ctx = Context(store, parse_programs(document), Signer(b"bench-secret-0123456789"), clock)
        deps.use_context(ctx)
        store.admin_keys.put_admin_key(
            AdminKey(hash_key(KEY), "bench", ("*",), "write", clock.now())
        )
        recorder = Recorder(client, boto3.client("dynamodb", region_name="us-east-1"), "bench")
        stream = StreamReader("bench")
        with Client(app) as api:
            code = _referrer(api)
            sale = {"event": "purchase", "order_id": "b1", "amount": 25, "ref": code}
            api.http.post(
                "/v1/programs/demo/conversions",
                body=json.dumps(sale).encode(),
                headers={"content-type": "application/json", "authorization": f"Bearer {KEY}"},
            )
            stream.drain(lambda records: roll_up_records(ctx, records))

            def click(visitor: int) -> Any:
                headers = {"user-agent": BROWSER, "x-forwarded-for": str(visitor)}
                return api.http.get(f"/r/{code}?ch=email&to=sale", headers=headers)

            click(0)  # the month's counter item exists from here on
            recorder.record("click with ?ch= and ?to= (counted)", lambda: click(1))
            for _ in range(98):
                click(2)
            records = stream.read(10_000)
            recorder.record(
                f"rollup of a batch of {len(records)} stream records (100 clicks, 1 code, 1 day)",
                lambda: roll_up_records(ctx, records),
            )
            recorder.record("the same batch delivered again", lambda: roll_up_records(ctx, records))
            codes = [_referrer(api, n) for n in range(1, BATCH_CODES)] + [code]
            stream.drain(lambda more: roll_up_records(ctx, more))
            for n in range(BATCH_CLICKS):
                headers = {"user-agent": f"{BROWSER} b{n}"}  # a visitor each
                api.http.get(f"/r/{codes[n % BATCH_CODES]}?ch=email", headers=headers)
            batch = stream.read(BATCH_CLICKS)
            assert len(batch) == BATCH_CLICKS
            recorder.record(ROLLUP_BATCH, lambda: roll_up_records(ctx, batch))
            for day in range(1, 365):
                clock.at += DAY
                click(day)
            stream.drain(lambda more: roll_up_records(ctx, more))
            auth = {"authorization": f"Bearer {KEY}"}
            for since in ("30d", "1y"):
                path = f"/v1/programs/demo/analytics?since={since}"
                recorder.record(
                    f"report over {since} (1 top referrer)",
                    lambda p=path: api.http.get(p, headers=auth),
                )
        deps.use_context(None)
    return recorder.results


def rollup_cpu_ms(clicks: int = BATCH_CLICKS, codes: int = BATCH_CODES) -> float:
    """Median milliseconds of Python work the rollup function does for one batch of `clicks`
    clicks on `codes` codes, its store in memory (its DynamoDB requests are counted apart)."""
    import statistics
    import time

    from chalicelib.domain.analytics.rollups import roll_up
    from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.analytics import ChangeBatch, ChangeRecord, ClickMade
    from chalicelib.model.clock import FixedClock
    from chalicelib.store.memory import MemoryStore

    timings = []
    for run in range(7):
        ctx = Context(
            MemoryStore(),
            parse_programs(DEMO_CONFIG),
            Signer(b"bench-secret-0123456789"),
            FixedClock(1_795_000_000.0),
        )
        changes = tuple(
            ChangeRecord(
                str(n + 1),
                ClickMade("demo", f"c{n % codes:06d}", 1_795_000_000.0, n % 3 == 0, "email"),
            )
            for n in range(clicks)
        )
        start = time.perf_counter()
        roll_up(ctx, ChangeBatch(f"b{run}", changes))
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _referrer(api: Any, n: int = 0) -> str:
    headers = {"content-type": "application/json", "user-agent": f"bench {n}"}
    email = f"bench{n}@example.com" if n else "bench@example.com"
    body = json.dumps({"email": email, "name": "Bench"}).encode()
    made = json.loads(api.http.post("/v1/programs/demo/referrers", body=body, headers=headers).body)
    return str(made["code"])


if __name__ == "__main__":
    print(table(run()))
