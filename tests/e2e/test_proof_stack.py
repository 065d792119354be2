"""Nobody mints rewards without proof, over real HTTP against `referbee dev` with the default
config: forged beacons and pixels earn nothing approved; a real click earns rewards that wait
until the conversions API (with a key) or a conversion signed by the site's server confirms
the same order, exactly once; a flood of forged purchases for one code lands in review."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from chalicelib.domain.config.programs import DEMO_CONFIG
from chalicelib.domain.trust.signed_conversions import conversion_signature
from tests.common import BROWSER, PHONE

from .stack import DevStack, request

pytestmark = pytest.mark.e2e

KEY = "rk_e2e_admin_key_for_tests_0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}
SECRET = "demo-identity-secret-0123456789"
FORGER = "curl/8.5.0"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    running = DevStack(tmp_path, KEY).start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def issue(stack: DevStack, email: str = "jane@example.com", **body: Any) -> dict[str, Any]:
    reply = request("POST", f"{stack.api}/v1/programs/demo/referrers", {"email": email, **body})
    assert reply.status in (200, 201), reply.body
    return dict(reply.json())


def click_id(stack: DevStack, code: str, agent: str = PHONE) -> str:
    reply = request("GET", f"{stack.api}/r/{code}", headers={"User-Agent": agent})
    return parse_qs(urlsplit(reply.headers["location"]).query)["click"][0]


def beacon(stack: DevStack, body: dict[str, Any], agent: str = PHONE) -> Any:
    headers = {"Content-Type": "text/plain", "User-Agent": agent}
    return request("POST", f"{stack.api}/v1/programs/demo/beacon", body, headers)


def rewards(stack: DevStack, status: str) -> list[dict[str, Any]]:
    reply = request("GET", f"{stack.api}/v1/programs/demo/rewards?status={status}", None, AUTH)
    assert reply.status == 200, reply.body
    return list(reply.json()["rewards"])


def test_forged_reports_earn_nothing_and_a_real_click_waits_for_the_shop(
    stack: DevStack,
) -> None:
    code = issue(stack)["code"]
    for order in ("f1", "f2", "f3"):
        forged = {"event": "purchase", "ref": code, "amount": 999, "order_id": order}
        reply = beacon(stack, forged, agent=FORGER)
        assert reply.status == 201 and reply.json()["ref"] is None
    pixel = request(
        "GET",
        f"{stack.api}/p.gif?program=demo&event=purchase&order=f4&amount=999&ref={code}",
        headers={"User-Agent": FORGER},
    )
    assert pixel.status == 200 and pixel.body.startswith(b"GIF8")
    assert rewards(stack, "approved") == [] and rewards(stack, "pending") == []

    claim = {
        "event": "purchase",
        "order_id": "1001",
        "amount": 999,
        "click_id": click_id(stack, code),
    }
    claimed = beacon(stack, claim).json()
    assert {(r["side"], r["status"]) for r in claimed["rewards"]} == {
        ("referrer", "pending"),
        ("friend", "pending"),
    }
    assert rewards(stack, "approved") == []

    report = {"event": "purchase", "order_id": "1001", "amount": 40}  # the shop's own word
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        replies = list(
            pool.map(
                lambda _: request(
                    "POST", f"{stack.api}/v1/programs/demo/conversions", report, AUTH
                ),
                range(10),
            )
        )
    assert sorted(r.status for r in replies) == [200] * 9 + [201]
    approved = rewards(stack, "approved")
    assert sorted((r["side"], r["amount"]) for r in approved) == [("friend", 6), ("referrer", 10)]
    assert rewards(stack, "pending") == []
    issued = request(
        "POST", f"{stack.api}/v1/programs/demo/referrers", {"email": "jane@example.com"}, AUTH
    )
    stats = request("GET", f"{stack.api}/v1/stats/{issued.json()['stats_token']}").json()
    assert (stats["purchases"], stats["revenue"]) == (1, {"USD": 40})


def test_a_flood_of_50_forged_purchases_for_one_code_lands_in_review(stack: DevStack) -> None:
    code = issue(stack)["code"]
    clicked = click_id(stack, code)
    statuses = [
        beacon(
            stack,
            {"event": "purchase", "order_id": f"x{n}", "amount": 999, "click_id": clicked},
            agent=f"{BROWSER} {n}",
        ).json()["status"]
        for n in range(50)
    ]
    assert statuses.count("review") == 30 and statuses[:20] == ["recorded"] * 20
    queue = request("GET", f"{stack.api}/v1/programs/demo/reviews?limit=100", None, AUTH)
    assert len(queue.json()["reviews"]) == 30
    assert rewards(stack, "approved") == []


def test_a_signed_conversion_confirms_and_opt_outs_are_warned_of(tmp_path: Path) -> None:
    document = {"programs": [dict(DEMO_CONFIG["programs"][0])]}
    program = document["programs"][0]
    program["identity_secret"] = SECRET
    program["trust"] = {"browser_referrals": "ref"}
    (tmp_path / "referbee.yaml").write_text(yaml.safe_dump(document))
    running = DevStack(tmp_path, KEY).start()
    try:
        assert "warning: program 'demo': trust.browser_referrals is 'ref'" in running.output()
        email = "kim@example.com"
        from chalicelib.domain.referrals.identity import identity_signature

        code = issue(running, email, signature=identity_signature(SECRET, email))["code"]
        claim = {"event": "purchase", "order_id": "2001", "amount": 20, "ref": code}
        assert beacon(running, claim).json()["unverified"] is True
        signature = conversion_signature(SECRET, "purchase", "2001", "20.00")
        signed = beacon(running, {**claim, "signature": signature})
        assert signed.status == 201 and signed.json()["confirmed_by"] == "signed"
        assert beacon(running, {**claim, "signature": signature}).status == 200
        assert {r["side"] for r in rewards(running, "approved")} == {"referrer", "friend"}
    finally:
        running.stop()
