"""A webhook verified by its signature is the shop's own word: a paid Stripe session or
Shopify order confirms the claim a visitor's browser made of the same order (the beacon's
pending, unconfirmed rewards), through the same step as the conversions API, never counting
the order twice. On DynamoDB (moto), through the HTTP API."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from referbee.hooks import shopify_events as sh
from referbee.hooks import stripe_events as se
from tests.helpers import body_of, click
from tests.hooks import paid_program, send_shopify, stripe_hook
from tests.trust import AUTH, FRIEND, beacon, issue, stats_of, trust_api


@pytest.fixture
def shop(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, paid_program(), FixedClock(time.time())) as (api, ctx):
        yield api, ctx


def click_id_of(api: Any, code: str) -> str:
    location = click(api, code, ua=FRIEND).headers["Location"]
    return parse_qs(urlsplit(location).query)["click"][0]


def claim(api: Any, order: str, amount: str, click_id: str) -> dict[str, Any]:
    """What the widget's convert sends from the thank-you page: a claim, pending."""
    body = {"event": "purchase", "order_id": order, "amount": amount, "click_id": click_id}
    answer = beacon(api, body)
    assert answer.status_code == 201, answer.body
    told = body_of(answer)
    assert told["unverified"] is True
    assert {(r["status"], r["reason"]) for r in told["rewards"]} == {("pending", "unconfirmed")}
    return dict(told)


def all_rewards(api: Any) -> list[tuple[str, str, Any]]:
    found = []
    for status in ("pending", "approved", "paid", "void", "clawback"):
        listed = body_of(api.http.get(f"/v1/programs/shop/rewards?status={status}", headers=AUTH))
        found += [(r["side"], r["status"], r.get("amount")) for r in listed["rewards"]]
    return sorted(found)


@pytest.mark.parametrize("names_referrer", [True, False])
def test_a_paid_stripe_session_confirms_the_browsers_claim_of_it_once(
    shop: Any, names_referrer: bool
) -> None:
    """The thank-you page reported `{CHECKOUT_SESSION_ID}` as its order id; the session's
    event confirms that claim (whether or not it carries client_reference_id too)."""
    api, ctx = shop
    jane = issue(api)
    click_id = click_id_of(api, jane["code"])
    order = se.Order(
        Decimal("49.00"), reference=click_id.replace(".", "X") if names_referrer else ""
    )
    claim(api, order.session, "49.00", click_id)
    event = se.event("checkout.session.completed", se.checkout_session(order))
    first = stripe_hook(api, "checkout.session.completed", event["data"]["object"], event["id"])
    again = stripe_hook(api, "checkout.session.completed", event["data"]["object"], event["id"])
    assert (first["outcome"], again["outcome"]) == ("recorded", "duplicate")
    stored = ctx.store.conversions.get_conversion("shop", "purchase", order.session)
    assert (stored.code, stored.confirmed_by, stored.unverified) == (jane["code"], "stripe", False)
    # The claim's rewards, confirmed: no second pair, nothing left pending.
    assert all_rewards(api) == [("friend", "approved", 7.35), ("referrer", "approved", 9.8)]
    numbers = stats_of(api, jane)
    assert (numbers["purchases"], numbers["successful_referrals"]) == (1, 1)


def test_a_paid_shopify_order_confirms_the_browsers_claim_of_it_once(shop: Any) -> None:
    api, ctx = shop
    jane = issue(api)
    order = sh.ShopOrder(Decimal("25.00"))
    claim(api, str(order.order_id), "25.00", click_id_of(api, jane["code"]))
    answers = [
        send_shopify(api, "orders/paid", sh.order(order), event_id=event_id)
        for event_id in ("wh-a", "wh-b")  # a redelivery under another webhook id
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert [body_of(a)["outcome"] for a in answers] == ["recorded", "unchanged"]
    stored = ctx.store.conversions.get_conversion("shop", "purchase", str(order.order_id))
    assert (stored.code, stored.confirmed_by, stored.unverified) == (jane["code"], "shopify", False)
    assert all_rewards(api) == [("friend", "approved", 3.75), ("referrer", "approved", 5)]
    assert stats_of(api, jane)["purchases"] == 1
