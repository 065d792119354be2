"""DynamoDB requests of program analytics, counted like requests_per_operation: the click path
with a channel and a landing page (unchanged: the page rides on the counter update), the
rollup function's work per batch of stream records, and reports over a month and a year."""

from __future__ import annotations

import copy
import json
from typing import Any

from bench.requests_per_operation import BROWSER, Measured, Recorder, table

KEY = "rk_bench_analytics_key_0123456789"
DAY = 86400


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
    from referbee.devstack.db import copy_tables_once_per_transaction
    from referbee.devstack.streams import StreamReader

    document = copy.deepcopy(DEMO_CONFIG)
    document["programs"][0]["landing_pages"] = {"sale": "http://localhost:8001/shop/sale"}
    copy_tables_once_per_transaction()
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


def _referrer(api: Any) -> str:
    headers = {"content-type": "application/json"}
    body = json.dumps({"email": "bench@example.com", "name": "Bench"}).encode()
    made = json.loads(api.http.post("/v1/programs/demo/referrers", body=body, headers=headers).body)
    return str(made["code"])


if __name__ == "__main__":
    print(table(run()))
