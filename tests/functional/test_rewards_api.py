"""Rewards on DynamoDB (moto) through the API and, for concurrency, the domain services from
many threads at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.api import deps, schedule
from chalicelib.domain.context import Context
from chalicelib.domain.rewards.approvals import approve_due_rewards
from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from tests.common import ADMIN_KEY, BROWSER, NOW, READ_KEY, install_keys
from tests.helpers import body_of, click, convert, new_referrer, post_json
from tests.incentives import add_referrer, context_for, incentive_document, purchase

DAY = 86400
AUTH = {"authorization": f"Bearer {ADMIN_KEY}"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(dynamo_store: DynamoStore, clock: FixedClock) -> Context:
    return context_for(dynamo_store, incentive_document(), clock)


@pytest.fixture
def api(ctx: Context, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    from chalice.test import Client

    from app import app

    monkeypatch.setenv("REFERBEE_API_URL", "https://api.example.net")
    monkeypatch.setenv("REFERBEE_SITE_URL", "https://refer.example.net")
    monkeypatch.setenv("REFERBEE_OUTBOX", str(tmp_path / "outbox"))
    deps.reset()
    schedule.outbound.cache_clear()
    deps.use_context(ctx)
    install_keys(ctx.store)
    with Client(app) as client:
        yield client
    deps.reset()
    schedule.outbound.cache_clear()


def at_once(count: int, action: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_schedule(api: Any) -> None:
    event = api.events.generate_cw_event("aws.events", "Scheduled Event", {}, [])
    api.lambda_.invoke("due_work", event)


def rewards_of(api: Any, status: str | None = None) -> list[dict[str, Any]]:
    query = f"?status={status}" if status else ""
    response = api.http.get(f"/v1/programs/beans/rewards{query}", headers=AUTH)
    assert response.status_code == 200, response.body
    return body_of(response)["rewards"]


def test_double_sided_rewards_are_issued_once_under_30_concurrent_duplicates(
    api: Any, ctx: Context
) -> None:
    referrer = new_referrer(api, program="beans")
    ctx.store.coupons.add_coupons("beans", "welcome", [f"WELCOME-{i}" for i in range(40)])
    outcomes = at_once(30, lambda _: purchase(ctx, "order-7", referrer["code"], amount=55).rewards)
    assert len({tuple(r.reward_id for r in rewards) for rewards in outcomes}) == 1
    issued = rewards_of(api)
    assert Counter(r["side"] for r in issued) == {"referrer": 1, "friend": 1}
    friend = next(r for r in issued if r["side"] == "friend")
    assert friend["coupon"] == next(r.coupon for r in outcomes[0] if r.side == "friend")
    assert ctx.store.coupons.pool_counts("beans", "welcome").used == 1
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert (stats["purchases"], stats["successful_referrals"]) == (1, 1)
    assert stats["rewards"]["earned"] == 1 and stats["rewards"]["pending"] == 1
    assert [item["side"] for item in stats["rewards"]["items"]] == ["referrer"]


def test_tiers_are_reached_exactly_at_n_with_their_bonus_once(api: Any, ctx: Context) -> None:
    referrer = new_referrer(api, program="beans")
    code, token = referrer["code"], referrer["stats_token"]
    tiers_seen = []
    for n in range(1, 4):
        response = convert(
            api, {"event": "purchase", "order_id": f"o{n}", "amount": 30, "ref": code}, "beans"
        )
        assert response.status_code == 201, response.body
        tiers_seen.append(
            [r.get("tier_at") for r in body_of(response)["rewards"] if r["side"] == "tier"]
        )
        stats = body_of(api.http.get(f"/v1/stats/{token}"))
        if n == 2:
            assert stats["tier"] == {
                "current": None,
                "next": {"name": "Silver", "at": 3},
                "progress": 0.6667,
            }
    assert tiers_seen == [[], [], [3]]
    assert stats["tier"] == {
        "current": {"name": "Silver", "at": 3, "badge": "silver"},
        "next": {"name": "Gold", "at": 5},
        "progress": 0.0,
    }
    # 12 more at once: the count passes 5 (Gold) in the middle of the crowd.
    results = at_once(12, lambda i: purchase(ctx, f"crowd-{i}", code, amount=30))
    bonuses = [r.tier_at for conversion in results for r in conversion.rewards if r.side == "tier"]
    assert bonuses == [5]
    again = at_once(5, lambda _: purchase(ctx, "o3", code, amount=30))  # retries of the 3rd
    assert all([r.tier_at for r in c.rewards if r.side == "tier"] == [3] for c in again)
    tier_rewards = [r for r in rewards_of(api) if r["side"] == "tier"]
    assert sorted(r["tier_at"] for r in tier_rewards) == [3, 5]
    stats = body_of(api.http.get(f"/v1/stats/{token}"))
    assert stats["successful_referrals"] == 15
    assert stats["tier"]["current"]["name"] == "Gold" and stats["tier"]["progress"] == 1.0


def test_held_rewards_are_approved_by_the_scheduled_function_after_the_period(
    api: Any, clock: FixedClock
) -> None:
    referrer = new_referrer(api, program="beans")
    convert(
        api, {"event": "purchase", "order_id": "o1", "amount": 30, "ref": referrer["code"]}, "beans"
    )
    assert {r["status"] for r in rewards_of(api)} == {"pending"}
    clock.advance(14 * DAY - 60)
    run_schedule(api)
    assert len(rewards_of(api, "pending")) == 2
    clock.advance(60)
    run_schedule(api)
    approved = rewards_of(api, "approved")
    assert [r["side"] for r in approved] == ["referrer"]
    friend = rewards_of(api, "pending")  # the welcome pool is empty: it waits for a code
    assert [(r["side"], r["reason"]) for r in friend] == [("friend", "coupon_pool_empty")]
    paid = post_json(api, f"/v1/programs/beans/rewards/{approved[0]['id']}/paid", {}, AUTH)
    assert paid.status_code == 200 and body_of(paid)["status"] == "paid"
    early = post_json(api, f"/v1/programs/beans/rewards/{friend[0]['id']}/paid", {}, AUTH)
    assert early.status_code == 409 and "only an approved reward" in body_of(early)["error"]


def test_refund_voids_rewards_reverses_counts_and_404s_unknown_orders(api: Any) -> None:
    referrer = new_referrer(api, program="beans")
    body = {"event": "purchase", "order_id": "A#1", "amount": 42, "ref": referrer["code"]}
    assert convert(api, body, "beans").status_code == 201
    path = "/v1/programs/beans/conversions/A%231/refund"
    assert post_json(api, path, {}).status_code == 401
    assert post_json(api, path, {}, {"authorization": f"Bearer {READ_KEY}"}).status_code == 403
    refunded = post_json(api, path, b"", AUTH)
    assert refunded.status_code == 200, refunded.body
    view = body_of(refunded)
    assert view["status"] == "refunded" and {r["status"] for r in view["rewards"]} == {"void"}
    assert body_of(post_json(api, path, b"", AUTH)) == view  # a second refund changes nothing
    assert body_of(convert(api, body, "beans")) == view  # nor does replaying the purchase
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert (stats["purchases"], stats["revenue"], stats["successful_referrals"]) == (0, {}, 0)
    assert stats["rewards"]["earned"] == 0 and stats["rewards"]["items"][0]["status"] == "void"
    missing = post_json(api, "/v1/programs/beans/conversions/nope/refund", b"", AUTH)
    assert (
        missing.status_code == 404
        and "no purchase with order_id 'nope'" in body_of(missing)["error"]
    )
    wrong = post_json(api, path, {"event": "refund"}, AUTH)
    assert wrong.status_code == 400


def test_the_coupon_pool_never_hands_out_a_code_twice_under_concurrency(
    api: Any, ctx: Context, clock: FixedClock
) -> None:
    codes = [add_referrer(ctx, f"ref{i:02d}aa").code for i in range(20)]
    upload = post_json(
        api,
        "/v1/programs/beans/coupons",
        {"pool": "welcome", "codes": [f"W-{i}" for i in range(8)]},
        AUTH,
    )
    assert body_of(upload) == {"pool": "welcome", "added": 8, "skipped": 0, "available": 8}
    results = at_once(20, lambda i: purchase(ctx, f"o{i}", codes[i]))
    friends = [r for c in results for r in c.rewards if r.side == "friend"]
    handed = [r.coupon for r in friends if r.coupon]
    assert len(handed) == 8 and len(set(handed)) == 8
    assert sum(1 for r in friends if r.reason == "coupon_pool_empty") == 12
    status = body_of(api.http.get("/v1/programs/beans/coupons", headers=AUTH))
    assert status == {"pools": [{"pool": "welcome", "available": 0, "used": 8, "waiting": 12}]}

    more = [f"W-{i}" for i in range(4, 20)]  # 4..7 were handed out already
    assert (
        body_of(
            post_json(api, "/v1/programs/beans/coupons", {"pool": "welcome", "codes": more}, AUTH)
        )["added"]
        == 12
    )
    clock.advance(14 * DAY)
    approved = at_once(3, lambda _: approve_due_rewards(ctx))  # three schedulers at once
    assert sum(approved) == 40  # each reward once: 20 referrers' and 20 friends'
    final = [r for r in rewards_of(api) if r["side"] == "friend"]
    coupons = [r["coupon"] for r in final]
    assert len(coupons) == 20 and len(set(coupons)) == 20
    assert {r["status"] for r in final} == {"approved"}


def test_coupon_uploads_are_validated(api: Any) -> None:
    def upload(body: Any) -> Any:
        return post_json(api, "/v1/programs/beans/coupons", body, AUTH)

    assert "pool 'nope'" in body_of(upload({"pool": "nope", "codes": ["A"]}))["error"]
    assert upload({"pool": "welcome", "codes": []}).status_code == 400
    assert "codes[1]" in body_of(upload({"pool": "welcome", "codes": ["A", "has space"]}))["error"]
    assert upload({"pool": "welcome", "codes": ["A"] * 501}).status_code == 400
    assert upload({"pool": "welcome", "codes": ["A"], "extra": 1}).status_code == 400
    assert post_json(api, "/v1/programs/beans/coupons", {"codes": ["A"]}).status_code == 401
    teas = post_json(api, "/v1/programs/teas/coupons", {"codes": ["A"]}, AUTH)
    assert "has no coupon rewards" in body_of(teas)["error"]


def test_program_info_lists_tiers(api: Any) -> None:
    tiers = body_of(api.http.get("/v1/programs/beans"))["tiers"]
    assert tiers == [
        {
            "name": "Silver",
            "at": 3,
            "reward": {"text": "$20 bonus", "kind": "credit", "amount": 20.0, "currency": "USD"},
            "badge": "silver",
        },
        {
            "name": "Gold",
            "at": 5,
            "reward": {"text": "500 points", "kind": "points", "points": 500},
            "badge": "gold",
        },
    ]


def test_reward_lists_need_a_key_and_a_known_status(api: Any) -> None:
    assert api.http.get("/v1/programs/beans/rewards").status_code == 401
    assert api.http.get("/v1/programs/beans/rewards?status=lost", headers=AUTH).status_code == 400
    assert api.http.get("/v1/programs/beans/rewards?limit=0", headers=AUTH).status_code == 400
    reader = {"authorization": f"Bearer {READ_KEY}"}
    assert api.http.get("/v1/programs/beans/rewards", headers=reader).status_code == 200
    missing = post_json(api, "/v1/programs/beans/rewards/rw_nope_0000000000000000/paid", {}, AUTH)
    assert missing.status_code == 404


def test_a_pixel_without_ref_splits_the_purchase_by_the_visitors_clicks(
    api: Any, clock: FixedClock
) -> None:
    ana = new_referrer(api, "ana@example.com", program="teas")
    ben = new_referrer(api, "ben@example.com", program="teas")
    for referrer, days_ago in ((ana, 3), (ben, 1)):
        clock.at = NOW - days_ago * DAY
        assert click(api, referrer["code"]).status_code == 302
    clock.at = NOW
    pixel = api.http.get(
        "/p.gif?program=teas&event=purchase&order=T-1&amount=30&currency=EUR",
        headers={"user-agent": BROWSER},
    )
    assert pixel.status_code == 200
    numbers = {
        who: body_of(api.http.get(f"/v1/stats/{r['stats_token']}"))
        for who, r in (("ana", ana), ("ben", ben))
    }
    assert numbers["ana"]["revenue"] == {"EUR": 15} and numbers["ben"]["revenue"] == {"EUR": 15}
    assert numbers["ana"]["purchases"] == numbers["ben"]["purchases"] == 1
    # A tie: Ben's click is the most recent, so Ben is the primary code and gets the rewards.
    assert (numbers["ben"]["successful_referrals"], numbers["ana"]["successful_referrals"]) == (
        1,
        0,
    )
    assert numbers["ben"]["rewards"]["earned"] == 1 and numbers["ana"]["rewards"]["earned"] == 0
    stranger = api.http.get(
        "/p.gif?program=teas&event=purchase&order=T-2&amount=30",
        headers={"user-agent": "Mozilla/5.0 (a browser that never clicked) Firefox/130.0"},
    )
    assert stranger.status_code == 200
    assert body_of(api.http.get(f"/v1/stats/{ben['stats_token']}"))["purchases"] == 1
