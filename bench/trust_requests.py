"""DynamoDB requests of the trust-and-safety operations, counted through botocore's event
hooks: conversions with every fraud rule on (clean and flagged), the review queue, rate-limit
refusals, admin keys, and a person's export and erasure. Through the real Chalice handler
(chalice.test.Client) and DynamoStore, against moto."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bench.requests_per_operation import BROWSER, Measured, Recorder, table

KEY = "rk_bench_key_0123456789"
SECRET = "bench-identity-secret-0123"
PROGRAM: dict[str, Any] = {
    "id": "beans",
    "name": "Bean There",
    "landing_url": "https://beans.example/",
    "identity_secret": SECRET,
    "rewards": {
        "referrer": {"text": "$10", "kind": "credit", "amount": 10},
        "friend": {"text": "$5", "kind": "credit", "amount": 5},
    },
    "fraud": {
        "self_referral": True,
        "duplicate_identity": True,
        "velocity": True,
        "disposable_email": True,
        "bots": True,
        "require_click": True,
    },
    "rate_limits": {"convert": 3, "issue": 3},
}


def run() -> list[Measured]:
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.referrals.identity import identity_signature
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
        catalogue = parse_programs({"programs": [PROGRAM]})
        deps.use_context(Context(store, catalogue, Signer(b"bench-secret-0123456789"), clock))
        store.admin_keys.put_admin_key(
            AdminKey(hash_key(KEY), "bench", ("*",), "write", clock.now())
        )
        recorder = Recorder(client, boto3.client("dynamodb", region_name="us-east-1"), "bench")
        record = recorder.record
        auth = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}

        with Client(app) as api:

            def post(path: str, body: Any, headers: dict[str, str]) -> Any:
                return api.http.post(path, body=json.dumps(body).encode(), headers=headers)

            def issue(email: str, agent: str) -> Any:
                body = {"email": email, "signature": identity_signature(SECRET, email)}
                headers = {"content-type": "text/plain", "user-agent": agent}
                return lambda: post("/v1/programs/beans/referrers", body, headers)

            jane = json.loads(
                record("code issuance, new referrer", issue("jane@example.com", "r")).body
            )
            record("code issuance, returning referrer", issue("jane@example.com", "r"))
            code = jane["code"]

            def beacon(body: dict[str, Any], agent: str) -> Any:
                headers = {"content-type": "text/plain", "user-agent": agent}
                return lambda: post("/v1/programs/beans/beacon", body, headers)

            location = api.http.get(f"/r/{code}", headers={"user-agent": BROWSER}).headers
            click = parse_qs(urlsplit(location["Location"]).query)["click"][0]
            clean = {
                "event": "purchase",
                "order_id": "o1",
                "amount": 20,
                "click_id": click,
                "email": "kim@example.com",
            }
            record("conversion, every fraud rule on, clean (beacon)", beacon(clean, BROWSER))
            disposable = {**clean, "order_id": "o2", "email": "kim@mailinator.com"}
            record(
                "conversion flagged before the write (disposable email)",
                beacon(disposable, BROWSER),
            )
            own = {
                "event": "purchase",
                "order_id": "o3",
                "amount": 20,
                "ref": code,
                "email": "Jane+x@example.com",
            }
            record(
                "conversion flagged by the write (self-referral: a second transaction)",
                lambda: post("/v1/programs/beans/conversions", own, auth),
            )
            record(
                "pixel with ref only, require_click on (reads the visitor's touchpoints)",
                lambda: api.http.get(
                    f"/p.gif?program=beans&event=signup&order=s1&ref={code}",
                    headers={"user-agent": BROWSER + " p"},
                ),
            )
            record(
                "review queue: list flagged conversions",
                lambda: api.http.get("/v1/programs/beans/reviews", headers=auth),
            )
            record(
                "review: approve (issues 2 rewards)",
                lambda: post("/v1/programs/beans/reviews/purchase:o3/approve", {}, auth),
            )
            record(
                "review: reject",
                lambda: post(
                    "/v1/programs/beans/reviews/purchase:o2/reject", {"reason": "burner"}, auth
                ),
            )
            record(
                "stats view (rate-limited route)",
                lambda: api.http.get(f"/v1/stats/{jane['stats_token']}"),
            )
            flood = BROWSER + " flood"
            for n in range(3):
                beacon({"event": "signup", "order_id": f"f{n}", "ref": code}, flood)()
            record(
                "beacon refused by the rate limit (429)",
                beacon({"event": "signup", "order_id": "f9", "ref": code}, flood),
            )
            for n in range(3):
                issue(f"p{n}@example.com", "burst")()
            record("issuance refused by the rate limit (429)", issue("p9@example.com", "burst"))
            created = json.loads(
                record(
                    "admin key: create",
                    lambda: post("/v1/programs/beans/keys", {"name": "n"}, auth),
                ).body
            )
            record(
                "admin key: list",
                lambda: api.http.get("/v1/programs/beans/keys", headers=auth),
            )
            record(
                "admin key: revoke",
                lambda: post(f"/v1/programs/beans/keys/{created['id']}/revoke", {}, auth),
            )
            person = {"email": "kim@example.com"}
            record(
                "export a person (1 conversion as a customer)",
                lambda: post("/v1/programs/beans/people/export", person, auth),
            )
            record(
                "forget a referrer (1 conversion as a customer elsewhere)",
                lambda: post(
                    "/v1/programs/beans/people/forget", {"email": "jane@example.com"}, auth
                ),
            )
        deps.use_context(None)
    return recorder.results


if __name__ == "__main__":
    print(table(run()))
