"""The review queue through the API: approving issues the rewards exactly once, even under
concurrent approvals; rejecting records who and why."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest

from chalicelib.domain.conversions.review import approve
from chalicelib.store.dynamo import DynamoStore
from tests.common import OTHER_PROGRAM_KEY, READ_KEY
from tests.helpers import body_of, post_json
from tests.trust import AUTH, api_purchase, issue, scan_table, stats_of, trust_api, trust_document


@pytest.fixture
def world(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, trust_document({"self_referral": True})) as found:
        yield found


def flag(api: Any, order: str = "1001") -> dict[str, Any]:
    """A self-referral: Jane buys through her own code."""
    referrer = issue(api, "jane@gmail.com")
    response = api_purchase(api, referrer["code"], order, email="jane+me@gmail.com")
    assert body_of(response)["status"] == "review"
    return referrer


def decide(api: Any, review: str, action: str, body: Any = None, key: dict[str, str] = AUTH) -> Any:
    return post_json(api, f"/v1/programs/shop/reviews/{review}/{action}", body or {}, key)


def rewards_in_table(client: Any) -> Counter[str]:
    return Counter(
        item["SK"]["S"] for item in scan_table(client) if item["SK"]["S"].startswith("REWARD#")
    )


def test_approving_counts_the_conversion_and_issues_its_rewards_once(
    world: Any, dynamo_client: Any
) -> None:
    api, _ = world
    referrer = flag(api)
    listed = body_of(api.http.get("/v1/programs/shop/reviews", headers=AUTH))["reviews"]
    assert [(r["id"], r["flags"], r["status"]) for r in listed] == [
        ("purchase:1001", ["self_referral:email"], "review")
    ]
    assert listed[0]["reasons"] == [
        {"flag": "self_referral:email", "label": "Same email as the referrer"}
    ]
    response = decide(api, "purchase:1001", "approve", {"note": "her partner's card"})
    assert response.status_code == 200, response.body
    approved = body_of(response)
    assert approved["status"] == "recorded"
    assert approved["decided_by"] == "test"
    assert approved["decision_note"] == "her partner's card"
    assert {r["side"] for r in approved["rewards"]} == {"referrer", "friend"}
    again = body_of(decide(api, "purchase:1001", "approve"))
    assert again["rewards"] == approved["rewards"]
    numbers = stats_of(api, referrer)
    assert (numbers["purchases"], numbers["revenue"], numbers["successful_referrals"]) == (
        1,
        {"EUR": 40},
        1,
    )
    assert [r["side"] for r in numbers["rewards"]["items"]] == ["referrer"]
    assert sum(rewards_in_table(dynamo_client).values()) == 2
    queue = body_of(api.http.get("/v1/programs/shop/reviews", headers=AUTH))["reviews"]
    assert queue == []
    done = body_of(api.http.get("/v1/programs/shop/reviews?status=approved", headers=AUTH))
    assert [r["id"] for r in done["reviews"]] == ["purchase:1001"]


def test_concurrent_approvals_issue_each_reward_once(world: Any, dynamo_client: Any) -> None:
    api, ctx = world
    referrer = flag(api)
    program = ctx.catalogue.get("shop")
    results: list[bool] = []
    barrier = threading.Barrier(12)

    def run() -> None:
        barrier.wait()
        results.append(approve(ctx, program, "purchase:1001", "racer")[1])

    threads = [threading.Thread(target=run) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert sum(rewards_in_table(dynamo_client).values()) == 2
    assert stats_of(api, referrer)["purchases"] == 1
    assert stats_of(api, referrer)["successful_referrals"] == 1


def test_rejecting_records_who_and_why_and_counts_nothing(world: Any) -> None:
    api, _ = world
    referrer = flag(api, "2002")
    missing = decide(api, "purchase:2002", "reject")
    assert missing.status_code == 400 and "reason" in body_of(missing)["error"]
    response = decide(api, "purchase:2002", "reject", {"reason": "own order"})
    rejected = body_of(response)
    assert (rejected["status"], rejected["decided_by"], rejected["decision_note"]) == (
        "rejected",
        "test",
        "own order",
    )
    assert decide(api, "purchase:2002", "approve").status_code == 409
    assert stats_of(api, referrer)["purchases"] == 0
    listed = body_of(api.http.get("/v1/programs/shop/reviews?status=rejected", headers=AUTH))
    assert [(r["id"], r["decided_by"]) for r in listed["reviews"]] == [("purchase:2002", "test")]


def test_review_needs_keys_of_the_program_with_the_right_scope(world: Any) -> None:
    api, _ = world
    flag(api)
    read = {"authorization": f"Bearer {READ_KEY}"}
    other = {"authorization": f"Bearer {OTHER_PROGRAM_KEY}"}
    assert api.http.get("/v1/programs/shop/reviews", headers=read).status_code == 200
    assert decide(api, "purchase:1001", "approve", key=read).status_code == 403
    assert decide(api, "purchase:1001", "approve", key=other).status_code == 403
    assert api.http.get("/v1/programs/shop/reviews", headers=other).status_code == 403
    assert decide(api, "purchase:1001", "approve", key={}).status_code == 401


def test_the_dashboard_may_read_the_queue_from_the_sites_origin(world: Any) -> None:
    """The admin dashboard shows how many conversions are held: its page, on the site's
    origin, sends the key in a header (the browser's preflight of it: the dashboard's browser
    test), and may read the answer."""
    api, _ = world
    flag(api)
    site = "https://rewards.shop.example.com"
    read = {"authorization": f"Bearer {READ_KEY}", "origin": site}
    listed = api.http.get("/v1/programs/shop/reviews", headers=read)
    assert listed.headers["Access-Control-Allow-Origin"] == "*"
    assert [review["flags"] for review in body_of(listed)["reviews"]] == [["self_referral:email"]]


@pytest.mark.parametrize("review", ["purchase:nope", "nonsense", "refund:1001", "purchase:"])
def test_unknown_review_ids(world: Any, review: str) -> None:
    api, _ = world
    flag(api)
    assert decide(api, review, "approve").status_code in (400, 404)


def test_a_conversion_in_review_cannot_be_refunded(world: Any) -> None:
    api, _ = world
    referrer = flag(api, "3003")
    refund = post_json(api, "/v1/programs/shop/conversions/3003/refund", {}, AUTH)
    assert refund.status_code == 409
    assert "review" in body_of(refund)["error"]
    assert stats_of(api, referrer)["purchases"] == 0
