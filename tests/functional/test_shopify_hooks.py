"""Shopify's webhooks (`POST /v1/programs/{program}/hooks/shopify`) on DynamoDB (moto): the
X-Shopify-Hmac-Sha256 header checked on the raw body (401 and nothing recorded otherwise),
X-Shopify-Webhook-Id for idempotency, orders paid attributed by their landing URL's click or
a referrer's discount code, and refunds applied in proportion, in any order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.store.dynamo import DynamoStore
from referbee.hooks import shopify_events as sh
from tests.helpers import body_of, click
from tests.hooks import paid_program, send_shopify
from tests.trust import FRIEND, issue, scan_table, stats_of, trust_api


@pytest.fixture
def shop(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, paid_program()) as (api, ctx):
        yield api, ctx


def hook(api: Any, topic: str, body: dict[str, Any], event_id: str = "") -> dict[str, Any]:
    answer = send_shopify(api, topic, body, event_id=event_id)
    assert answer.status_code == 200, answer.body
    return dict(body_of(answer))


@pytest.mark.parametrize("header", ["", "bm90IHRoZSBzaWduYXR1cmU=", "garbage"])
def test_a_bad_or_missing_hmac_answers_401_and_records_nothing(
    shop: Any, dynamo_client: Any, header: str
) -> None:
    api, _ = shop
    before = len(scan_table(dynamo_client))
    order = sh.order(sh.ShopOrder(Decimal(20)))
    answer = send_shopify(api, "orders/paid", order, hmac_header=header)
    assert answer.status_code == 401
    assert body_of(answer) == {
        "error": "The X-Shopify-Hmac-Sha256 header does not verify the body."
    }
    wrong = send_shopify(api, "orders/paid", order, secret="another-shops-secret-0123")
    assert wrong.status_code == 401
    assert len(scan_table(dynamo_client)) == before


def test_an_order_with_a_referrers_discount_code_needs_no_click(shop: Any) -> None:
    api, ctx = shop
    jane = issue(api)
    order = sh.ShopOrder(Decimal("60.00"), discount_code=jane["code"].upper())
    first = hook(api, "orders/paid", sh.order(order), event_id="wh-1")
    again = hook(api, "orders/paid", sh.order(order), event_id="wh-1")
    redelivered = hook(api, "orders/paid", sh.order(order), event_id="wh-2")
    assert [first["outcome"], again["outcome"], redelivered["outcome"]] == [
        "recorded",
        "duplicate",
        "unchanged",  # the same order under another webhook id: still once
    ]
    stored = ctx.store.conversions.get_conversion("shop", "purchase", str(order.order_id))
    assert (stored.code, stored.channel, stored.source) == (jane["code"], "code", "shopify")
    friend = next(r for r in stored.rewards if r.side == "friend")
    assert (friend.amount, friend.coupon) == (Decimal("9.00"), jane["code"].upper())
    assert stats_of(api, jane)["purchases"] == 1


def test_the_landing_urls_click_names_the_referrer(shop: Any) -> None:
    api, ctx = shop
    jane = issue(api)
    location = click(api, jane["code"], ua=FRIEND).headers["Location"]
    landing = "/welcome?" + urlsplit(location).query
    assert parse_qs(urlsplit(location).query)["click"]
    order = sh.ShopOrder(Decimal("25.00"), landing_site=landing)
    hook(api, "orders/paid", sh.order(order))
    stored = ctx.store.conversions.get_conversion("shop", "purchase", str(order.order_id))
    assert (stored.code, stored.channel) == (jane["code"], "direct")


def test_a_refund_that_arrives_before_its_order_is_applied_when_the_order_does(
    shop: Any,
) -> None:
    api, ctx = shop
    jane = issue(api)
    order = sh.ShopOrder(Decimal("80.00"), discount_code=jane["code"])
    early = hook(api, "refunds/create", sh.refund(order, Decimal("20.00"), refund_id=11))
    assert early["outcome"] == "noted"
    hook(api, "orders/paid", sh.order(order))
    second = hook(api, "refunds/create", sh.refund(order, Decimal("20.00"), refund_id=12))
    assert second["outcome"] == "settled"
    stored = ctx.store.conversions.get_conversion("shop", "purchase", str(order.order_id))
    amounts = {r.side: (r.amount, r.gross) for r in stored.rewards}
    assert amounts == {
        "referrer": (Decimal("8.00"), Decimal("16.00")),  # 20% of 80, half of it refunded
        "friend": (Decimal("6.00"), Decimal("12.00")),
    }
    whole = hook(api, "refunds/create", sh.refund(order, Decimal("40.00"), refund_id=13))
    assert whole["outcome"] == "settled"
    refunded = ctx.store.conversions.get_conversion("shop", "purchase", str(order.order_id))
    assert refunded.status == "refunded"
    assert stats_of(api, jane)["purchases"] == 0
