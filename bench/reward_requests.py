"""DynamoDB requests per reward operation, counted through botocore's event hooks.

Conversions and refunds go through the real Chalice handler (chalice.test.Client); the
scheduled work (approvals, deliveries) through the same domain functions the scheduled
Lambda runs. All against moto, with DynamoStore.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from bench.requests_per_operation import BROWSER, Measured, Recorder, table

KEY = "rk_bench_key_0123456789"
PROGRAMS: list[dict[str, Any]] = [
    {
        "id": "beans",
        "name": "Bean There",
        "landing_url": "https://beans.example/",
        "rewards": {
            "hold_days": 14,
            "referrer": {"text": "$10", "kind": "credit", "amount": 10},
            "friend": {"text": "Welcome coupon", "kind": "coupon", "pool": "welcome"},
            "tiers": [
                {
                    "name": "Silver",
                    "at": 2,
                    "reward": {"text": "$20", "kind": "credit", "amount": 20},
                }
            ],
        },
        "webhooks": [
            {"url": "https://hooks.beans.example/referbee", "secret": "whsec_bench_0123456789"}
        ],
        "emails": {"from": "Bean There <rewards@beans.example>"},
    },
    {
        "id": "teas",
        "name": "Tea Time",
        "landing_url": "https://teas.example/",
        "attribution_model": "time_decay",
        "identity_secret": "teas-identity-secret-0123",  # sends no emails: its server vouches
        "rewards": {
            "referrer": {"text": "$5", "kind": "credit", "amount": 5},
            "friend": {"text": "100 points", "kind": "points", "points": 100},
        },
    },
]


def run() -> list[Measured]:
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import parse_programs
    from chalicelib.domain.context import Context, Links
    from chalicelib.domain.outbox.dispatch import dispatch_due
    from chalicelib.domain.rewards.approvals import approve_due_rewards
    from chalicelib.domain.trust.admin_keys import hash_key
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import FixedClock
    from chalicelib.model.records import AdminKey
    from chalicelib.outbound import Outbound
    from chalicelib.store.dynamo import DynamoStore
    from chalicelib.store.table import create_table

    with mock_aws(), tempfile.TemporaryDirectory() as outbox:
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "bench")
        store = DynamoStore(client, "bench")
        clock = FixedClock(1_795_000_000.0)
        catalogue = parse_programs({"programs": PROGRAMS})
        ctx = Context(store, catalogue, Signer(b"bench-secret-0123456789"), clock)
        deps.use_context(ctx)
        store.admin_keys.put_admin_key(
            AdminKey(hash_key(KEY), "bench", ("*",), "write", clock.now())
        )
        store.coupons.add_coupons("beans", "welcome", ["W1", "W2", "W3"])
        recorder = Recorder(client, boto3.client("dynamodb", region_name="us-east-1"), "bench")
        headers = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}
        with Client(app) as api:

            def post(path: str, body: dict[str, Any]) -> Any:
                return api.http.post(path, body=json.dumps(body).encode(), headers=headers)

            def code_of(program: str, email: str) -> str:
                answer = post(f"/v1/programs/{program}/referrers", {"email": email})
                return str(json.loads(answer.body)["code"])

            def buy(program: str, order: str, code: str) -> Any:
                body = {"event": "purchase", "order_id": order, "amount": 20, "ref": code}
                return lambda: post(f"/v1/programs/{program}/conversions", body)

            beans = code_of("beans", "jane@example.com")
            recorder.record(
                "purchase with rewards: credit + coupon, held, 1 webhook, email",
                buy("beans", "o1", beans),
            )
            recorder.record("the same purchase repeated", buy("beans", "o1", beans))
            recorder.record(
                "purchase that reaches a tier (bonus issued)", buy("beans", "o2", beans)
            )
            teas = code_of("teas", "jane@example.com")
            for agent in ("a", "b"):
                api.http.get(f"/r/{teas}", headers={"user-agent": f"{BROWSER} {agent}"})
            repeat = lambda: api.http.get(f"/r/{teas}", headers={"user-agent": f"{BROWSER} c"})  # noqa: E731
            for _ in range(16):
                repeat()
            recorder.record(
                "click 17 of one visitor on one code (compacts the touchpoints)", repeat
            )
            pixel = f"/p.gif?program=teas&event=purchase&order=t1&amount=20&ref={teas}"
            recorder.record(
                "pixel purchase, time_decay model (reads the visitor's touchpoints)",
                lambda: api.http.get(pixel, headers={"user-agent": f"{BROWSER} a"}),
            )
            refund = lambda: post("/v1/programs/beans/conversions/o1/refund", {})  # noqa: E731
            recorder.record("refund (2 rewards voided)", refund)
            links = Links("https://api.example", "https://site.example")
            outbound = Outbound(outbox_dir=Path(outbox), region="us-east-1")
            clock.advance(14 * 86400)
            recorder.record(
                "scheduled approvals: 3 due rewards, 2 programs", lambda: approve_due_rewards(ctx)
            )
            dispatch_due(ctx, _Unreachable(outbound), links, limit=100)  # clear the queue
            post("/v1/programs/beans/coupons", {"pool": "welcome", "codes": ["W9"]})
            buy("beans", "o3", beans)()
            recorder.record(
                "scheduled delivery: 3 webhooks and 1 email (the POSTs not counted)",
                lambda: dispatch_due(ctx, _Unreachable(outbound), links),
            )
            token = ctx.signer.stats_token(beans)
            recorder.record(
                "stats view with rewards and tier", lambda: api.http.get(f"/v1/stats/{token}")
            )
        deps.use_context(None)
    return recorder.results


class _Unreachable:
    """Emails go to the folder; webhooks are answered 200 without a network call."""

    def __init__(self, outbound: Any) -> None:
        self._outbound = outbound

    def post_webhook(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        return 200

    def send_email(self, message: Any) -> None:
        self._outbound.send_email(message)


if __name__ == "__main__":
    print(table(run()))
