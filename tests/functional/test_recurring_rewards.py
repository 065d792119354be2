"""Repeat purchases and personal discount codes, through the HTTP API on DynamoDB (moto).

A referred customer's later purchases (renewals, repeat orders) are not new referrals: they
count as purchases, but not as successful referrals, and earn only what the program's
recurring rule gives, within its months and limit. A purchase made with a referrer's
personal discount code names them without a click, on any device."""

from __future__ import annotations

from typing import Any

from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from tests.common import NOW
from tests.helpers import body_of, post_json
from tests.trust import AUTH, SECRET_OF_SHOP, beacon, issue, stats_of, trust_api

DAY = 86400
RECURRING = {"text": "20% of every renewal for a year", "percent": 20, "months": 12, "limit": 3}


def shop(**rewards: Any) -> dict[str, Any]:
    return {
        "programs": [
            {
                "id": "shop",
                "name": "Test Shop",
                "landing_url": "https://shop.example.com/welcome",
                "currency": "EUR",
                "identity_secret": SECRET_OF_SHOP,
                "rewards": {
                    "referrer": {"text": "EUR 10 credit", "kind": "credit", "amount": 10},
                    "friend": {"text": "15% off", "kind": "percent", "percent": 15},
                    **rewards,
                },
            }
        ]
    }


def buy(api: Any, order: str, amount: float = 50, **fields: Any) -> Any:
    body = {"event": "purchase", "order_id": order, "amount": amount, **fields}
    return post_json(api, "/v1/programs/shop/conversions", body, AUTH)


def rewards_of(answer: Any) -> dict[str, Any]:
    return {r["side"]: r for r in body_of(answer)["rewards"]}


def test_a_repeat_purchase_is_not_a_new_referral_and_earns_nothing_without_a_rule(
    dynamo_store: DynamoStore,
) -> None:
    with trust_api(dynamo_store, shop()) as (api, _):
        jane = issue(api)
        first = buy(api, "r1", ref=jane["code"], customer_id="cust-42")
        assert set(rewards_of(first)) == {"referrer", "friend"}
        again = buy(api, "r2", 80, customer_id="cust-42")
        assert again.status_code == 201, again.body
        assert (body_of(again)["ref"], body_of(again)["rewards"]) == (jane["code"], [])
        with_ref = buy(api, "r3", 30, ref=jane["code"], customer_id="cust-42")
        assert body_of(with_ref)["rewards"] == []  # no second "15% off your first order"
        numbers = stats_of(api, jane)
        assert (numbers["purchases"], numbers["successful_referrals"]) == (3, 1)
        assert numbers["revenue"] == {"EUR": 160}


def test_renewals_earn_the_recurring_rule_within_its_months_and_limit(
    dynamo_store: DynamoStore,
) -> None:
    clock = FixedClock(NOW)
    with trust_api(dynamo_store, shop(recurring=RECURRING), clock) as (api, _):
        jane = issue(api)
        buy(api, "m0", 30, ref=jane["code"], customer_id="sub-1")
        earned = []
        for month in range(1, 14):
            clock.advance(31 * DAY)
            answer = body_of(buy(api, f"m{month}", 30, customer_id="sub-1"))
            earned.append(
                [(r["side"], r["amount"]) for r in answer["rewards"]] or answer.get("notes")
            )
        # 20% of 30 for the first three renewals (the limit), nothing after; past 12 months
        # after the first purchase the months bound says so first.
        assert earned[:3] == [[("recurring", 6)]] * 3
        assert earned[3:11] == [["recurring:limit_reached"]] * 8
        assert earned[11:] == [["recurring:past_months"]] * 2
        numbers = stats_of(api, jane)
        assert (numbers["purchases"], numbers["successful_referrals"]) == (14, 1)
        assert numbers["rewards"]["value"] == {"EUR": 28}  # 10 + 3 x 6


def test_a_discount_code_names_its_owner_without_a_click(dynamo_store: DynamoStore) -> None:
    with trust_api(dynamo_store, shop()) as (api, ctx):
        jane = issue(api)
        answer = buy(api, "d1", 40, discount_code=jane["code"].lower(), customer_id="c-9")
        assert answer.status_code == 201, answer.body
        assert body_of(answer)["ref"] == jane["code"]
        friend = rewards_of(answer)["friend"]
        assert (friend["amount"], friend["coupon"]) == (6, jane["code"].upper())
        stored = ctx.store.conversions.get_conversion("shop", "purchase", "d1")
        assert (stored.channel, stored.discount_code) == ("code", jane["code"].upper())
        shops_own = buy(api, "d2", 40, discount_code="SUMMER20")
        assert shops_own.status_code == 400
        assert "Send 'ref'" in body_of(shops_own)["error"]


def test_a_browsers_discount_code_waits_for_the_shop_to_confirm_the_order(
    dynamo_store: DynamoStore,
) -> None:
    """A beacon can name any code, so its discount code names nobody at once (no stats, no
    rewards); the shop's report of the same order, naming no referrer, gives it to the
    code's owner."""
    with trust_api(dynamo_store, shop()) as (api, _):
        jane = issue(api)
        claim = {"event": "purchase", "order_id": "b1", "amount": 40}
        told = beacon(api, {**claim, "discount_code": jane["code"].upper()})
        assert told.status_code == 201 and body_of(told)["ref"] is None
        assert stats_of(api, jane)["purchases"] == 0
        confirmed = buy(api, "b1", 40)
        assert confirmed.status_code == 201, confirmed.body
        assert body_of(confirmed)["ref"] == jane["code"]
        assert {r["status"] for r in body_of(confirmed)["rewards"]} == {"approved"}
        assert stats_of(api, jane)["purchases"] == 1


def test_a_referrer_using_their_own_code_is_a_self_referral(dynamo_store: DynamoStore) -> None:
    with trust_api(dynamo_store, shop()) as (api, _):
        jane = issue(api)
        answer = buy(api, "s1", 40, discount_code=jane["code"], email="Jane@Gmail.com")
        body = body_of(answer)
        assert (body["status"], body["flags"], body["rewards"]) == (
            "review",
            ["self_referral:email"],
            [],
        )
