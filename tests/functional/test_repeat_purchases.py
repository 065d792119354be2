"""Referred customers and their later purchases: the conversions API recognises a customer by
`customer_id` (kept as a keyed hash), counts each of their purchases once and in order, and a
later purchase may name only the customer (admin key), credited to whoever referred them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.helpers import body_of, convert, new_referrer, post_json


def test_a_later_purchase_named_by_its_customer_goes_to_their_referrer(
    api: Any, dynamo_ctx: Any
) -> None:
    code = new_referrer(api)["code"]
    first = {"event": "purchase", "order_id": "c1", "amount": 50, "ref": code, "customer_id": "42"}
    assert convert(api, first).status_code == 201

    later = convert(api, {"event": "purchase", "order_id": "c2", "amount": 20, "customer_id": "42"})

    assert later.status_code == 201, later.body
    assert body_of(later)["ref"] == code
    stored = dynamo_ctx.store.conversions.get_conversion("shop", "purchase", "c2")
    assert (stored.model, stored.customer_seq, stored.channel) == ("customer", 2, "")
    assert (
        stored.customer_first_at
        == dynamo_ctx.store.conversions.get_conversion("shop", "purchase", "c1").created_at
    )
    assert stored.customer.startswith("c") and "42" not in stored.customer
    again = convert(api, {"event": "purchase", "order_id": "c2", "amount": 20, "customer_id": "42"})
    assert again.status_code == 200  # the same order: counted once


def test_a_customer_nobody_referred_needs_a_ref(api: Any) -> None:
    response = convert(
        api, {"event": "purchase", "order_id": "n1", "amount": 5, "customer_id": "7"}
    )
    assert response.status_code == 400
    assert body_of(response)["error"] == (
        "No referral is on record for this customer_id in program 'shop': send 'ref' or "
        "'click_id' (the customer's first referred purchase records it)."
    )


def test_the_keyless_beacon_cannot_look_customers_up(api: Any) -> None:
    code = new_referrer(api)["code"]
    first = {"event": "purchase", "order_id": "b1", "amount": 5, "ref": code, "customer_id": "9"}
    assert convert(api, first).status_code == 201
    response = post_json(
        api,
        "/v1/programs/shop/beacon",
        {"event": "purchase", "order_id": "b2", "amount": 5, "customer_id": "9"},
    )
    assert response.status_code == 400
    assert "Send 'ref'" in body_of(response)["error"]  # and nothing about the customer


def test_concurrent_purchases_of_one_customer_are_numbered_once_each(
    api: Any, dynamo_ctx: Any
) -> None:
    code = new_referrer(api)["code"]

    def buy(index: int) -> int:
        body = {"event": "purchase", "order_id": f"k{index}", "amount": 3, "ref": code}
        status: int = convert(api, {**body, "customer_id": "cust"}).status_code
        return status

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(buy, range(12))) == [201] * 12
    seqs = [
        dynamo_ctx.store.conversions.get_conversion("shop", "purchase", f"k{i}").customer_seq
        for i in range(12)
    ]
    assert sorted(seqs) == list(range(1, 13))
    firsts = {
        dynamo_ctx.store.conversions.get_conversion("shop", "purchase", f"k{i}").customer_first_at
        for i in range(12)
    }
    assert len(firsts) == 1
