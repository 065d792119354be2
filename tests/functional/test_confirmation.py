"""Browser conversions are claims (docs/security.md, "Conversion paths"): with the default
config a beacon or pixel without a click names no referrer; with a click it counts at once
but its rewards wait, until a trusted report of the same order (the conversions API with a
key, or a conversion signed by the site's server) confirms it, exactly once, as the trusted
report says. On DynamoDB (moto), through the HTTP API."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.domain.trust.signed_conversions import conversion_signature
from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from tests.common import NOW
from tests.helpers import body_of, click, post_json
from tests.trust import AUTH, FRIEND, SECRET_OF_SHOP, beacon, issue, stats_of, trust_api

PERCENT_FRIEND = {
    "referrer": {"text": "EUR 10 credit", "kind": "credit", "amount": 10},
    "friend": {"text": "15% off", "kind": "percent", "percent": 15},
}


def shop(**changes: Any) -> dict[str, Any]:
    """Program `shop` with the kit's defaults for the browser paths; the friend gets 15%."""
    program: dict[str, Any] = {
        "id": "shop",
        "name": "Test Shop",
        "landing_url": "https://shop.example.com/welcome",
        "currency": "EUR",
        "identity_secret": SECRET_OF_SHOP,
        "rewards": dict(PERCENT_FRIEND),
    }
    for key, value in changes.items():
        if key == "hold_days":
            program["rewards"]["hold_days"] = value
        else:
            program[key] = value
    return {"programs": [program]}


@pytest.fixture
def api(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, shop()) as (client, _):
        yield client


def click_id_of(api: Any, code: str, agent: str = FRIEND) -> str:
    location = click(api, code, ua=agent).headers["Location"]
    return parse_qs(urlsplit(location).query)["click"][0]


def purchase(order: str, amount: float = 999, **referral: str) -> dict[str, Any]:
    return {"event": "purchase", "order_id": order, "amount": amount, **referral}


def confirm(api: Any, body: dict[str, Any]) -> Any:
    return post_json(api, "/v1/programs/shop/conversions", body, AUTH)


def rewards(api: Any, status: str) -> list[dict[str, Any]]:
    found = api.http.get(f"/v1/programs/shop/rewards?status={status}", headers=AUTH)
    return list(body_of(found)["rewards"])


def test_a_beacon_without_a_click_names_no_referrer_and_earns_nothing(api: Any) -> None:
    referrer = issue(api)
    for order in ("f1", "f2", "f3"):
        answer = beacon(api, purchase(order, ref=referrer["code"]))
        assert answer.status_code == 201, answer.body
        body = body_of(answer)
        assert (body["ref"], body["rewards"], body["status"]) == (None, [], "recorded")
    pixel = f"/p.gif?program=shop&event=purchase&order=f4&amount=999&ref={referrer['code']}"
    assert api.http.get(pixel, headers={"user-agent": FRIEND}).body.startswith(b"GIF8")
    assert stats_of(api, referrer)["purchases"] == 0
    assert rewards(api, "approved") == [] and rewards(api, "pending") == []


def test_a_clicked_claim_counts_at_once_and_its_rewards_wait(api: Any) -> None:
    referrer = issue(api)
    click_id = click_id_of(api, referrer["code"])
    answer = body_of(beacon(api, purchase("c1", click_id=click_id)))
    assert (answer["ref"], answer["unverified"]) == (referrer["code"], True)
    assert {(r["side"], r["status"], r["reason"]) for r in answer["rewards"]} == {
        ("referrer", "pending", "unconfirmed"),
        ("friend", "pending", "unconfirmed"),
    }
    assert all("approve_at" not in r for r in answer["rewards"])  # no date: a report decides
    assert stats_of(api, referrer)["purchases"] == 1
    assert rewards(api, "approved") == []


def test_the_conversions_api_confirms_a_claim_once_with_the_trusted_amount(api: Any) -> None:
    referrer = issue(api)
    claim = purchase("c2", click_id=click_id_of(api, referrer["code"]))
    beacon(api, claim)
    first = confirm(api, {**purchase("c2", 40), "ref": referrer["code"]})
    assert first.status_code == 201, first.body
    body = body_of(first)
    assert (body["amount"], body["confirmed_by"], "unverified" in body) == (40, "api", False)
    friend = next(r for r in body["rewards"] if r["side"] == "friend")
    assert (friend["status"], friend["amount"]) == ("approved", 6)  # 15% of 40, not of 999
    again = confirm(api, {**purchase("c2", 40), "ref": referrer["code"]})
    assert again.status_code == 200 and body_of(again) == body
    assert beacon(api, claim).status_code == 200  # the browser's retry changes nothing
    assert sorted((r["side"], r.get("amount")) for r in rewards(api, "approved")) == [
        ("friend", 6),
        ("referrer", 10),
    ]
    assert rewards(api, "pending") == []
    numbers = stats_of(api, referrer)
    assert (numbers["purchases"], numbers["revenue"]) == (1, {"EUR": 40})


def test_a_report_naming_no_referrer_confirms_the_claims(api: Any) -> None:
    referrer = issue(api)
    beacon(api, purchase("c3", 50, click_id=click_id_of(api, referrer["code"])))
    answer = confirm(api, purchase("c3", 50))
    assert answer.status_code == 201 and body_of(answer)["ref"] == referrer["code"]
    assert confirm(api, purchase("c3", 50)).status_code == 200  # a retry: as it is
    nobody = confirm(api, purchase("never-claimed", 50))
    assert nobody.status_code == 400
    assert "'ref'" in body_of(nobody)["error"]


def test_the_trusted_report_names_the_referrer(api: Any) -> None:
    jane, kim = issue(api), issue(api, "kim@example.com", name="Kim Lee")
    beacon(api, purchase("c4", 30, click_id=click_id_of(api, jane["code"])))
    answer = body_of(confirm(api, purchase("c4", 30, ref=kim["code"])))
    assert answer["ref"] == kim["code"]
    assert (stats_of(api, jane)["purchases"], stats_of(api, kim)["purchases"]) == (0, 1)
    voided = rewards(api, "void")
    assert {(r["side"], r["reason"]) for r in voided} == {
        ("referrer", "not_confirmed"),
        ("friend", "not_confirmed"),
    }
    assert {r["side"] for r in rewards(api, "approved")} == {"referrer", "friend"}


def test_concurrent_confirmations_issue_each_reward_once(api: Any) -> None:
    referrer = issue(api)
    beacon(api, purchase("c5", 20, click_id=click_id_of(api, referrer["code"])))
    body = purchase("c5", 20, ref=referrer["code"])
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: confirm(api, body).status_code, range(6)))
    assert sorted(statuses) == [200] * 5 + [201]
    assert len(rewards(api, "approved")) == 2
    assert stats_of(api, referrer)["purchases"] == 1


def test_a_conversion_signed_by_the_sites_server_is_trusted(api: Any) -> None:
    referrer = issue(api)
    click_id = click_id_of(api, referrer["code"])
    beacon(api, purchase("s1", 80, click_id=click_id))  # the widget's unsigned claim first
    signature = conversion_signature(SECRET_OF_SHOP, "purchase", "s1", "80.00")
    signed = beacon(api, {**purchase("s1", 80, click_id=click_id), "signature": signature})
    assert signed.status_code == 201
    assert body_of(signed)["confirmed_by"] == "signed"
    assert {r["status"] for r in body_of(signed)["rewards"]} == {"approved"}


def test_a_minimum_the_trusted_amount_misses_voids_the_reward(dynamo_store: DynamoStore) -> None:
    rules = {**PERCENT_FRIEND, "referrer": {**PERCENT_FRIEND["referrer"], "min_amount": 50}}
    with trust_api(dynamo_store, shop(rewards=rules)) as (api, _):
        referrer = issue(api)
        beacon(api, purchase("m1", 999, click_id=click_id_of(api, referrer["code"])))
        body = body_of(confirm(api, purchase("m1", 20, ref=referrer["code"])))
        sides = {r["side"]: (r["status"], r.get("reason")) for r in body["rewards"]}
        assert sides == {"referrer": ("void", "not_confirmed"), "friend": ("approved", None)}
        assert body["notes"] == ["referrer:below_min_amount"]


def test_trusted_browser_conversions_earn_at_once(dynamo_store: DynamoStore) -> None:
    document = shop(trust={"browser_conversions": "trusted"})
    with trust_api(dynamo_store, document) as (api, _):
        referrer = issue(api)
        body = body_of(beacon(api, purchase("t1", 10, click_id=click_id_of(api, referrer["code"]))))
        assert "unverified" not in body
        assert {r["status"] for r in body["rewards"]} == {"approved"}


def test_approve_after_hold_approves_an_unconfirmed_claim_when_the_hold_ends(
    dynamo_store: DynamoStore,
) -> None:
    from chalicelib.domain.rewards.approvals import approve_due_rewards

    document = shop(hold_days=14, trust={"browser_conversions": "approve_after_hold"})
    clock = FixedClock(NOW)
    with trust_api(dynamo_store, document, clock) as (api, ctx):
        referrer = issue(api)
        body = body_of(beacon(api, purchase("h1", 10, click_id=click_id_of(api, referrer["code"]))))
        assert {r["approve_at"][:10] for r in body["rewards"]} == {"2026-12-02"}
        assert approve_due_rewards(ctx) == 0
        clock.advance(14 * 86400)
        assert approve_due_rewards(ctx) == 2
        assert {r["side"] for r in rewards(api, "approved")} == {"referrer", "friend"}


def test_a_flood_of_forged_purchases_for_one_code_lands_in_review(api: Any) -> None:
    """One click id replayed from 50 clients: past 20 an hour for one code, the rest wait
    for review (and none of the first 20 earned anything approved)."""
    referrer = issue(api)
    click_id = click_id_of(api, referrer["code"])
    statuses = [
        body_of(beacon(api, purchase(f"x{n}", 999, click_id=click_id), agent=f"{FRIEND} {n}"))[
            "status"
        ]
        for n in range(50)
    ]
    assert statuses == ["recorded"] * 20 + ["review"] * 30
    queue = body_of(api.http.get("/v1/programs/shop/reviews?limit=100", headers=AUTH))
    assert len(queue["reviews"]) == 30
    assert rewards(api, "approved") == []


def test_one_client_flooding_is_held_then_rate_limited(api: Any) -> None:
    referrer = issue(api)
    click_id = click_id_of(api, referrer["code"])
    answers = [beacon(api, purchase(f"y{n}", 999, click_id=click_id)) for n in range(40)]
    statuses = [body_of(a).get("status", a.status_code) for a in answers]
    assert statuses == ["recorded"] * 5 + ["review"] * 25 + [429] * 10


def test_a_tier_a_claim_reached_is_announced_when_it_is_confirmed(
    dynamo_store: DynamoStore,
) -> None:
    tier = {
        "name": "Starter",
        "at": 1,
        "badge": "starter",
        "reward": {"text": "EUR 20", "kind": "credit", "amount": 20},
    }
    hooks = [{"url": "https://hooks.example.com/referbee", "secret": "w" * 20}]
    document = shop(rewards={**PERCENT_FRIEND, "tiers": [tier]}, webhooks=hooks)
    with trust_api(dynamo_store, document) as (api, ctx):
        referrer = issue(api)
        claim = body_of(
            beacon(api, purchase("t9", 30, click_id=click_id_of(api, referrer["code"])))
        )
        bonus = next(r for r in claim["rewards"] if r["side"] == "tier")
        assert (bonus["status"], bonus["reason"]) == ("pending", "unconfirmed")

        def announced() -> list[str]:
            return [m.event_type for m in ctx.store.outbox.due_messages(NOW + 60, 100)]

        before = announced()
        assert "conversion.created" in before and "referrer.tier_reached" not in before
        confirmed = body_of(confirm(api, purchase("t9", 30)))
        assert {r["side"]: r["status"] for r in confirmed["rewards"]} == {
            "referrer": "approved",
            "friend": "approved",
            "tier": "approved",
        }
        assert announced().count("referrer.tier_reached") == 1
        assert stats_of(api, referrer)["tier"]["current"]["name"] == "Starter"
