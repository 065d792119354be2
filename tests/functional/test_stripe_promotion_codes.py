"""Promotion codes: a Checkout Session names the promotion code a customer typed by its id
only. With the program's `payments.stripe.api_key`, the Stripe route reads its code from
Stripe's API through the official library (here from a stand-in for api.stripe.com on this
machine, at REFERBEE_STRIPE_API_BASE) and attributes the purchase to the referrer whose
discount code it is. Stripe failing answers 503 (Stripe sends the event again), a key that
may not read the code leaves the session without it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from chalicelib.store.dynamo import DynamoStore
from referbee.hooks import stripe_events as se
from tests.helpers import body_of
from tests.hooks import STRIPE_SECRET, paid_program, send_stripe
from tests.trust import issue, trust_api

API_KEY = "rk_test_promotion_codes_read_0123"


class StandIn(BaseHTTPRequestHandler):
    """GET /v1/promotion_codes/{id}: the codes in `codes`, 500 for `promo_down`, else 404."""

    codes: ClassVar[dict[str, str]] = {}
    seen: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        promotion = self.path.rsplit("/", 1)[-1]
        self.seen.append((self.path, self.headers.get("Authorization", "")))
        if promotion in self.codes:
            body = {"id": promotion, "object": "promotion_code", "active": True}
            self._send(200, {**body, "code": self.codes[promotion]})
        elif promotion == "promo_down":
            self._send(500, {"error": {"type": "api_error", "message": "Stripe is down."}})
        else:
            error = {"type": "invalid_request_error", "message": "No such promotion code."}
            self._send(404, {"error": error})

    def _send(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def stripe_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[StandIn]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("REFERBEE_STRIPE_API_BASE", f"http://127.0.0.1:{server.server_port}")
    StandIn.codes, StandIn.seen = {}, []
    yield StandIn
    server.shutdown()


def session_with(promotion: str) -> dict[str, Any]:
    session = se.checkout_session(se.Order(Decimal("40.00")))
    session["discounts"] = [{"coupon": "friends-15", "promotion_code": promotion}]
    return se.event("checkout.session.completed", session)


def connected() -> dict[str, Any]:
    keyed = {"webhook_secret": STRIPE_SECRET, "api_key": API_KEY}
    return paid_program(payments={"stripe": keyed})


def test_a_promotion_code_names_its_referrer_read_from_stripe(
    dynamo_store: DynamoStore, stripe_api: type[StandIn]
) -> None:
    with trust_api(dynamo_store, connected()) as (api, ctx):
        jane = issue(api)
        stripe_api.codes["promo_jane"] = jane["code"].lower()
        event = session_with("promo_jane")
        answer = send_stripe(api, event)
        assert answer.status_code == 200 and body_of(answer)["outcome"] == "recorded"
        session = event["data"]["object"]["id"]
        stored = ctx.store.conversions.get_conversion("shop", "purchase", session)
        assert (stored.code, stored.channel, stored.discount_code) == (
            jane["code"],
            "code",
            jane["code"].upper(),
        )
        assert stripe_api.seen == [("/v1/promotion_codes/promo_jane", f"Bearer {API_KEY}")]


def test_stripe_failing_is_a_503_and_an_unreadable_code_is_left_out(
    dynamo_store: DynamoStore, stripe_api: type[StandIn]
) -> None:
    with trust_api(dynamo_store, connected()) as (api, ctx):
        down = session_with("promo_down")
        refused = send_stripe(api, down)
        assert refused.status_code == 503
        assert ctx.store.payments.get_receipt("shop", "stripe", down["id"]) is None
        unknown = session_with("promo_unknown")
        answer = send_stripe(api, unknown)
        assert answer.status_code == 200 and body_of(answer)["outcome"] == "recorded"
        stored = ctx.store.conversions.get_conversion(
            "shop", "purchase", unknown["data"]["object"]["id"]
        )
        assert stored.code == ""  # organic: nothing else names a referrer


def test_without_an_api_key_nothing_is_asked_of_stripe(
    dynamo_store: DynamoStore, stripe_api: type[StandIn]
) -> None:
    with trust_api(dynamo_store, paid_program()) as (api, _):
        assert send_stripe(api, session_with("promo_jane")).status_code == 200
    assert stripe_api.seen == []
