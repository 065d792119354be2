"""Stripe's webhooks (`POST /v1/programs/{program}/hooks/stripe`) on DynamoDB (moto): every
event signed as Stripe signs it and verified by the official library; a bad signature, an
old timestamp or a wrong secret records nothing; each event type does what docs/payments.md
says, once, in whatever order they arrive."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from referbee.hooks import stripe_events as se
from tests.common import NOW
from tests.helpers import body_of
from tests.hooks import STRIPE_SECRET, paid_program, send_stripe, stripe_hook, widget_reference
from tests.trust import AUTH, issue, scan_table, stats_of, trust_api


@pytest.fixture
def shop(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, paid_program(), FixedClock(time.time())) as (api, ctx):
        yield api, ctx


def rewards(api: Any, *statuses: str) -> list[tuple[str, str, Any, str]]:
    found = []
    for status in statuses or ("pending", "approved", "paid", "void", "clawback"):
        listed = body_of(api.http.get(f"/v1/programs/shop/rewards?status={status}", headers=AUTH))
        found += [
            (r["side"], r["status"], r.get("amount"), r.get("reason", ""))
            for r in listed["rewards"]
        ]
    return sorted(found, key=lambda row: (row[0], row[1], str(row[2])))


def test_every_event_type_is_signed_and_verified_by_the_stripe_library(shop: Any) -> None:
    api, _ = shop
    jane = issue(api)
    order = se.Order(Decimal("20.00"), reference=jane["code"])
    events = [
        ("checkout.session.completed", se.checkout_session(order, mode="subscription")),
        ("invoice.paid", se.invoice(order)),
        ("invoice_payment.paid", se.invoice_payment(order)),
        ("checkout.session.async_payment_succeeded", se.checkout_session(se.Order(Decimal(5)))),
        ("charge.refunded", se.charge(order, refunded=Decimal(5))),
        ("charge.dispute.created", se.dispute(order, "dp_1", "needs_response")),
        ("charge.dispute.closed", se.dispute(order, "dp_1", "won")),
        ("customer.subscription.deleted", se.subscription(order)),
    ]
    outcomes = [stripe_hook(api, kind, obj)["outcome"] for kind, obj in events]
    assert outcomes == [
        "recorded",
        "unchanged",  # the checkout recorded this invoice's purchase
        "noted",
        "recorded",  # organic: nothing names a referrer
        "settled",
        "settled",
        "settled",
        "unchanged",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"secret": "whsec_someone_else_0123456789"}, "does not verify"),
        ({"timestamp": int(time.time()) - 301}, "Timestamp outside the tolerance zone"),
        ({"signature": ""}, "does not verify"),
        ({"signature": "t=1,v1=00"}, "does not verify"),
    ],
)
def test_a_bad_or_missing_signature_answers_400_and_records_nothing(
    shop: Any, dynamo_client: Any, change: dict[str, Any], message: str
) -> None:
    api, _ = shop
    before = len(scan_table(dynamo_client))
    body = se.event("checkout.session.completed", se.checkout_session(se.Order(Decimal(9))))
    answer = send_stripe(api, body, **change)
    assert answer.status_code == 400
    assert message in body_of(answer)["error"]
    assert len(scan_table(dynamo_client)) == before


def test_malformed_json_unknown_types_and_unconnected_programs_are_answered(
    dynamo_store: DynamoStore,
) -> None:
    with trust_api(dynamo_store, paid_program(payments={})) as (bare, _):
        body = se.event("invoice.paid", se.invoice(se.Order(Decimal(1))))
        refused = send_stripe(bare, body)
        assert refused.status_code == 404
        assert "set payments.stripe.webhook_secret" in body_of(refused)["error"]
    with trust_api(dynamo_store, paid_program()) as (api, _):
        broken = send_stripe(api, b'{"id": "evt_1", "type": ')
        assert broken.status_code == 400
        assert body_of(broken) == {"error": "The body is not a JSON Stripe event."}
        unknown = send_stripe(api, se.event("customer.created", {"id": "cus_1"}))
        assert unknown.status_code == 200
        assert body_of(unknown)["outcome"] == "ignored"
        assert "customer.created" in body_of(unknown)["detail"]


def test_the_widgets_reference_names_the_referrer_once_however_often_it_is_sent(
    shop: Any,
) -> None:
    api, ctx = shop
    jane = issue(api)
    order = se.Order(Decimal("49.00"), reference=widget_reference(api, jane["code"]))
    event = se.event("checkout.session.completed", se.checkout_session(order))
    first = body_of(send_stripe(api, event))
    again = body_of(send_stripe(api, event))
    assert (first["outcome"], again["outcome"]) == ("recorded", "duplicate")
    stored = ctx.store.conversions.get_conversion("shop", "purchase", order.session)
    assert (stored.code, stored.source, stored.channel, stored.amount) == (
        jane["code"],
        "stripe",
        "direct",  # the click's share channel, from its id
        Decimal("49.00"),
    )
    assert rewards(api) == [
        ("friend", "approved", 7.35, ""),
        ("referrer", "approved", 9.8, ""),
    ]
    assert stats_of(api, jane)["purchases"] == 1


def test_an_invoice_before_its_checkout_ends_attributed_and_counted_once(shop: Any) -> None:
    api, ctx = shop
    jane = issue(api)
    order = se.Order(Decimal("20.00"), reference=widget_reference(api, jane["code"]))
    early = stripe_hook(api, "invoice.paid", se.invoice(order))
    assert early["outcome"] == "recorded"  # organic, for now
    assert ctx.store.conversions.get_conversion("shop", "purchase", order.invoice).code == ""
    late = stripe_hook(
        api, "checkout.session.completed", se.checkout_session(order, mode="subscription")
    )
    assert late["outcome"] == "recorded"
    stored = ctx.store.conversions.get_conversion("shop", "purchase", order.invoice)
    assert (stored.code, stored.confirmed_by, stored.unverified) == (jane["code"], "stripe", False)
    numbers = stats_of(api, jane)
    assert (numbers["purchases"], numbers["successful_referrals"]) == (1, 1)
    assert rewards(api) == [("friend", "approved", 3, ""), ("referrer", "approved", 4, "")]


def subscribed(api: Any) -> tuple[dict[str, Any], se.Order]:
    """Jane, and a $20 subscription her code brought."""
    jane = issue(api)
    first = se.Order(Decimal("20.00"), reference=jane["code"])
    stripe_hook(api, "checkout.session.completed", se.checkout_session(first, mode="subscription"))
    return jane, first


def test_renewals_earn_the_recurring_rule_until_the_subscription_ends(shop: Any) -> None:
    api, ctx = shop
    jane, first = subscribed(api)
    renewal = se.Order(Decimal("20.00"), customer=first.customer, subscription=first.subscription)
    answer = stripe_hook(
        api, "invoice.paid", se.invoice(renewal, billing_reason="subscription_cycle")
    )
    assert answer["outcome"] == "recorded"
    stored = ctx.store.conversions.get_conversion("shop", "purchase", renewal.invoice)
    assert (stored.code, stored.successful, stored.customer_seq) == (jane["code"], False, 2)
    stripe_hook(api, "customer.subscription.deleted", se.subscription(first))
    ctx.clock.advance(60)
    late = se.Order(Decimal("20.00"), customer=first.customer, subscription=first.subscription)
    stripe_hook(api, "invoice.paid", se.invoice(late, billing_reason="subscription_cycle"))
    ended = ctx.store.conversions.get_conversion("shop", "purchase", late.invoice)
    assert (ended.rewards, ended.notes) == (
        (),
        ("friend:not_first_purchase", "recurring:subscription_ended"),
    )
    assert rewards(api) == [
        ("friend", "approved", 3, ""),
        ("recurring", "approved", 2, ""),
        ("referrer", "approved", 4, ""),
    ]
    assert stats_of(api, jane)["successful_referrals"] == 1


def test_a_renewal_past_the_months_limit_earns_nothing(dynamo_store: DynamoStore) -> None:
    clock = FixedClock(NOW)
    with trust_api(dynamo_store, paid_program(), clock) as (api, ctx):
        jane = issue(api)
        first = se.Order(Decimal("30.00"), reference=jane["code"])
        stripe_hook(
            api, "checkout.session.completed", se.checkout_session(first, mode="subscription")
        )
        clock.advance(366 * 86400)
        renewal = se.Order(
            Decimal("30.00"), customer=first.customer, subscription=first.subscription
        )
        stripe_hook(api, "invoice.paid", se.invoice(renewal, billing_reason="subscription_cycle"))
        stored = ctx.store.conversions.get_conversion("shop", "purchase", renewal.invoice)
        assert (stored.rewards, stored.notes) == (
            (),
            ("friend:not_first_purchase", "recurring:past_months"),
        )


def test_a_partial_refund_before_its_payment_is_linked_is_applied_when_it_is(shop: Any) -> None:
    api, ctx = shop
    _, first = subscribed(api)
    upgrade = se.Order(Decimal("15.00"), customer=first.customer, subscription=first.subscription)
    stripe_hook(api, "invoice.paid", se.invoice(upgrade, billing_reason="subscription_update"))
    refund = stripe_hook(api, "charge.refunded", se.charge(upgrade, refunded=Decimal(5)))
    assert refund["outcome"] == "noted"  # which invoice this payment paid is not known yet
    linked = stripe_hook(api, "invoice_payment.paid", se.invoice_payment(upgrade))
    assert linked["outcome"] == "settled"
    stored = ctx.store.conversions.get_conversion("shop", "purchase", upgrade.invoice)
    recurring = next(r for r in stored.rewards if r.side == "recurring")
    assert (recurring.amount, recurring.gross, recurring.share_lost) == (
        Decimal("1.00"),
        Decimal("1.50"),
        Decimal("0.3333"),
    )
    again = stripe_hook(api, "charge.refunded", se.charge(upgrade, refunded=Decimal(5)))
    assert again["outcome"] == "unchanged"


def test_a_dispute_holds_a_payments_rewards_until_the_shop_wins_it(shop: Any) -> None:
    api, _ = shop
    jane = issue(api)
    order = se.Order(Decimal("50.00"), reference=jane["code"])
    stripe_hook(api, "checkout.session.completed", se.checkout_session(order))
    stripe_hook(api, "charge.dispute.created", se.dispute(order, "dp_9", "needs_response"))
    assert rewards(api, "void") == [
        ("friend", "void", 7.5, "disputed"),
        ("referrer", "void", 10, "disputed"),
    ]
    stripe_hook(api, "charge.dispute.closed", se.dispute(order, "dp_9", "won"))
    late = stripe_hook(api, "charge.dispute.updated", se.dispute(order, "dp_9", "under_review"))
    assert late["outcome"] == "unchanged"
    assert rewards(api) == [("friend", "approved", 7.5, ""), ("referrer", "approved", 10, "")]


def test_a_coupon_named_by_a_discount_code_attributes_a_purchase_without_a_click(
    shop: Any,
) -> None:
    api, ctx = shop
    jane = issue(api)
    order = se.Order(Decimal("40.00"), discount_code=jane["code"].upper())
    stripe_hook(api, "checkout.session.completed", se.checkout_session(order))
    stored = ctx.store.conversions.get_conversion("shop", "purchase", order.session)
    assert (stored.code, stored.channel, stored.discount_code) == (
        jane["code"],
        "code",
        jane["code"].upper(),
    )


def test_a_purchase_without_a_referral_is_organic_or_ignored_as_configured(
    dynamo_store: DynamoStore,
) -> None:
    with trust_api(dynamo_store, paid_program()) as (api, ctx):
        order = se.Order(Decimal("12.00"))
        assert (
            stripe_hook(api, "checkout.session.completed", se.checkout_session(order))["outcome"]
            == "recorded"
        )
        stored = ctx.store.conversions.get_conversion("shop", "purchase", order.session)
        assert (stored.code, stored.rewards) == ("", ())
    ignoring = paid_program(
        payments={"stripe": {"webhook_secret": STRIPE_SECRET}, "organic": "ignore"}
    )
    with trust_api(dynamo_store, ignoring) as (api, ctx):
        order = se.Order(Decimal("12.00"))
        answer = stripe_hook(api, "checkout.session.completed", se.checkout_session(order))
        assert answer["outcome"] == "ignored"
        assert ctx.store.conversions.get_conversion("shop", "purchase", order.session) is None


def test_an_unpaid_session_waits_for_its_asynchronous_payment(shop: Any) -> None:
    api, ctx = shop
    jane = issue(api)
    order = se.Order(Decimal("30.00"), reference=jane["code"])
    unpaid = se.checkout_session(order, paid=False)
    assert stripe_hook(api, "checkout.session.completed", unpaid)["outcome"] == "ignored"
    failed = stripe_hook(api, "checkout.session.async_payment_failed", unpaid)
    assert failed["outcome"] == "ignored"
    assert ctx.store.conversions.get_conversion("shop", "purchase", order.session) is None
    paid = stripe_hook(api, "checkout.session.async_payment_succeeded", se.checkout_session(order))
    assert paid["outcome"] == "recorded"


def test_zero_decimal_amounts_are_read_in_whole_units(shop: Any) -> None:
    api, ctx = shop
    jane = issue(api)
    order = se.Order(Decimal(4900), currency="JPY", reference=jane["code"])
    assert order.minor == 4900
    stripe_hook(api, "checkout.session.completed", se.checkout_session(order))
    stored = ctx.store.conversions.get_conversion("shop", "purchase", order.session)
    assert (stored.amount, stored.currency) == (Decimal(4900), "JPY")
    assert json.loads(json.dumps(stats_of(api, jane)["revenue"])) == {"JPY": 4900}
