"""What each payment webhook costs in DynamoDB requests (docs/payments.md lists them): counted
with botocore's event hooks while the route runs on moto."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.store.dynamo import DynamoStore
from referbee.hooks import shopify_events as sh
from referbee.hooks import stripe_events as se
from tests.helpers import count_requests
from tests.hooks import paid_program, send_shopify, stripe_hook, widget_reference
from tests.trust import issue, trust_api


def test_each_webhook_costs_the_requests_the_docs_say(dynamo_store: DynamoStore) -> None:
    with trust_api(dynamo_store, paid_program()) as (api, _):
        jane = issue(api)
        reference = widget_reference(api, jane["code"])
        first = se.Order(Decimal("20.00"), reference=reference)
        checkout = se.event(
            "checkout.session.completed", se.checkout_session(first, mode="subscription")
        )
        renewal = se.Order(
            Decimal("20.00"), customer=first.customer, subscription=first.subscription
        )
        costs = {
            "checkout, new purchase (click reference)": lambda: stripe_hook(
                api, checkout["type"], checkout["data"]["object"], checkout["id"]
            ),
            "the same event again": lambda: stripe_hook(
                api, checkout["type"], checkout["data"]["object"], checkout["id"]
            ),
            "invoice.paid, renewal of a customer on record": lambda: stripe_hook(
                api, "invoice.paid", se.invoice(renewal, billing_reason="subscription_cycle")
            ),
            "invoice_payment.paid (links a payment)": lambda: stripe_hook(
                api, "invoice_payment.paid", se.invoice_payment(renewal)
            ),
            "charge.refunded, partial": lambda: stripe_hook(
                api, "charge.refunded", se.charge(renewal, refunded=Decimal(5))
            ),
            "unknown event type": lambda: stripe_hook(api, "customer.created", {"id": "cus_1"}),
            "Shopify orders/paid with a discount code": lambda: send_shopify(
                api, "orders/paid", sh.order(sh.ShopOrder(Decimal(30), discount_code=jane["code"]))
            ),
        }
        counted = {name: count_requests(dynamo_store, action) for name, action in costs.items()}
    assert counted == {
        "checkout, new purchase (click reference)": {
            "GetItem": 1,
            "TransactWriteItems": 1,
            "UpdateItem": 1,
            "PutItem": 1,
        },
        "the same event again": {"GetItem": 1},
        "invoice.paid, renewal of a customer on record": {
            "GetItem": 3,
            "TransactWriteItems": 1,
            "UpdateItem": 1,
            "PutItem": 1,
        },
        "invoice_payment.paid (links a payment)": {"GetItem": 1, "UpdateItem": 1, "PutItem": 1},
        "charge.refunded, partial": {
            "GetItem": 2,
            "UpdateItem": 2,
            "BatchGetItem": 1,
            "TransactWriteItems": 1,
            "PutItem": 1,
        },
        "unknown event type": {},
        "Shopify orders/paid with a discount code": {
            "GetItem": 2,
            "TransactWriteItems": 1,
            "UpdateItem": 1,
            "PutItem": 1,
        },
    }
