"""Rate limits: a burst from one visitor (or key) gets 429 with Retry-After, while another
visitor is unaffected; counters are DynamoDB items with a TTL, shared by every container."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.referrals.identity import identity_signature
from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from tests.common import BROWSER, NOW
from tests.helpers import body_of, post_json
from tests.trust import (
    AUTH,
    SECRET_OF_SHOP,
    beacon,
    issue,
    scan_table,
    stats_of,
    trust_api,
    trust_document,
)

LIMITS = {"issue": 5, "convert": 10, "api": 20, "stats": 5}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW - NOW % 60 + 5)  # 55 seconds left in the window


@pytest.fixture
def world(dynamo_store: DynamoStore, clock: FixedClock) -> Any:
    # About rate limits alone: bare refs accepted and velocity off, so every conversion that
    # the limit lets through counts (both are on by default: docs/security.md).
    document = trust_document(
        {"velocity": False}, rate_limits=LIMITS, trust={"browser_referrals": "ref"}
    )
    with trust_api(dynamo_store, document, clock) as found:
        yield found


def test_a_flood_of_1000_conversions_from_one_visitor(world: Any, clock: FixedClock) -> None:
    api, _ = world
    referrer = issue(api)
    flooder = BROWSER + " (flood)"
    statuses = [
        beacon(
            api, {"event": "signup", "order_id": f"f{n}", "ref": referrer["code"]}, agent=flooder
        )
        for n in range(1000)
    ]
    codes = [r.status_code for r in statuses]
    assert codes[:10] == [201] * 10
    assert set(codes[10:]) == {429}
    limited = statuses[-1]
    assert limited.headers["Retry-After"] == "55"
    assert "try again" in body_of(limited)["error"]
    # The pixel past the limit still answers a GIF and records nothing.
    gif = api.http.get(
        f"/p.gif?program=shop&event=signup&order=px&ref={referrer['code']}",
        headers={"user-agent": flooder},
    )
    assert gif.status_code == 200 and gif.headers["Content-Type"] == "image/gif"
    assert stats_of(api, referrer)["signups"] == 10
    # Another visitor is unaffected.
    other = beacon(api, {"event": "signup", "order_id": "o1", "ref": referrer["code"]})
    assert other.status_code == 201
    # The next window lets the flooder in again.
    clock.advance(55)
    again = beacon(
        api, {"event": "signup", "order_id": "late", "ref": referrer["code"]}, agent=flooder
    )
    assert again.status_code == 201


def test_issuance_burst_from_one_visitor(world: Any) -> None:
    api, _ = world

    def ask(email: str, agent: str) -> Any:
        body = {"email": email, "signature": identity_signature(SECRET_OF_SHOP, email)}
        return post_json(api, "/v1/programs/shop/referrers", body, {"user-agent": agent})

    answers = [ask(f"p{n}@example.com", BROWSER + " (burst)") for n in range(8)]
    assert [a.status_code for a in answers] == [201] * 5 + [429] * 3
    assert answers[-1].headers["Retry-After"] == "55"
    assert ask("calm@example.com", BROWSER).status_code == 201


def test_stats_burst_from_one_visitor(world: Any) -> None:
    api, _ = world
    referrer = issue(api)
    path = f"/v1/stats/{referrer['stats_token']}"
    codes = [api.http.get(path, headers={"user-agent": "burst"}).status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2
    assert api.http.get(path, headers={"user-agent": "someone else"}).status_code == 200


def test_api_conversions_are_limited_per_key(world: Any) -> None:
    api, _ = world
    referrer = issue(api)
    codes = [
        post_json(
            api,
            "/v1/programs/shop/conversions",
            {"event": "signup", "order_id": f"a{n}", "ref": referrer["code"]},
            AUTH,
        ).status_code
        for n in range(22)
    ]
    assert codes == [201] * 20 + [429] * 2


def test_limit_counters_expire_by_ttl(world: Any, dynamo_client: Any) -> None:
    api, _ = world
    issue(api)
    tallies = [i for i in scan_table(dynamo_client) if i["PK"]["S"].startswith("TALLY#")]
    assert tallies and all(int(i["expires_at"]["N"]) <= NOW + 180 for i in tallies)
