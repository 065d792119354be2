"""DynamoDB requests of the public leaderboard route, counted like requests_per_operation."""

from __future__ import annotations

import copy
import json
from typing import Any

from bench.requests_per_operation import Measured, Recorder, table

KEY = "rk_bench_board_key_0123456789"


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

    document = copy.deepcopy(DEMO_CONFIG)
    document["programs"][0]["site"] = {"leaderboard": True, "leaderboard_size": 3}
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "bench")
        store = DynamoStore(client, "bench")
        clock = FixedClock(1_795_000_000.0)
        signer = Signer(b"bench-secret-0123456789")
        deps.use_context(Context(store, parse_programs(document), signer, clock))
        store.admin_keys.put_admin_key(
            AdminKey(hash_key(KEY), "bench", ("*",), "write", clock.now())
        )
        recorder = Recorder(client, boto3.client("dynamodb", region_name="us-east-1"), "bench")
        with Client(app) as api:
            tokens = [
                _referrer_with(api, index, successes)
                for index, successes in enumerate([5, 4, 3, 2, 1])
            ]
            board = "/v1/programs/demo/leaderboard"
            recorder.record("leaderboard", lambda: api.http.get(board))
            recorder.record(
                "leaderboard, viewer in the top", lambda: api.http.get(f"{board}?t={tokens[0]}")
            )
            recorder.record(
                "leaderboard, viewer below the top", lambda: api.http.get(f"{board}?t={tokens[4]}")
            )
        deps.use_context(None)
    return recorder.results


def _referrer_with(api: Any, index: int, successes: int) -> str:
    # Issued as the shop's server would (an admin key), which is answered with the stats token.
    auth = {"content-type": "application/json", "authorization": f"Bearer {KEY}"}
    body = json.dumps({"email": f"r{index}@example.com", "name": f"Ref {index}"}).encode()
    issued = json.loads(api.http.post("/v1/programs/demo/referrers", body=body, headers=auth).body)
    for n in range(successes):
        order = {
            "event": "purchase",
            "order_id": f"o{index}-{n}",
            "amount": 5,
            "ref": issued["code"],
        }
        api.http.post(
            "/v1/programs/demo/conversions", body=json.dumps(order).encode(), headers=auth
        )
    return str(issued["stats_token"])


if __name__ == "__main__":
    print(table(run()))
