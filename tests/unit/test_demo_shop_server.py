"""The demo shop's server (under `{site}/shop/api/` of `referbee dev`): it vouches for its
signed-in customer, decides the price at checkout (the friend discount for a referred first
order), keeps each order once, and answers bad input with a 4xx and words to act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
from chalicelib.domain.referrals.identity import identity_signature
from referbee.admin.client import AdminClient
from referbee.devstack.shop import with_demo_identity
from referbee.devstack.shop_server import DemoShop
from referbee.devstack.static import JsonRequest

REFERRED = "referbee_demo=jane1234~jane1234.click9"


@pytest.fixture
def shop(tmp_path: Path) -> DemoShop:
    document = with_demo_identity(DEMO_CONFIG, tmp_path)
    program = parse_programs(document).get("demo")
    # Nothing listens on port 9: an order that needs reporting says it could not be reported.
    return DemoShop(program, AdminClient("http://127.0.0.1:9", "k" * 32), tmp_path / "orders.json")


def ask(shop: DemoShop, method: str, path: str, *, cookies: str = "", body: Any = None) -> Any:
    path, _, query = path.partition("?")
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body else b""
    return shop.answer(JsonRequest(method, path, query, cookies, raw))


def test_the_identity_secret_is_made_once_and_kept_out_of_the_config(tmp_path: Path) -> None:
    first = with_demo_identity(DEMO_CONFIG, tmp_path)["programs"][0]["identity_secret"]
    again = with_demo_identity(DEMO_CONFIG, tmp_path)["programs"][0]["identity_secret"]
    assert first == again and len(first) >= 32
    assert "identity_secret" not in DEMO_CONFIG["programs"][0]
    assert (tmp_path / "demo_identity_secret").stat().st_mode & 0o077 == 0


def test_the_signed_in_customer_comes_with_the_signature_of_their_email(shop: DemoShop) -> None:
    status, jane = ask(shop, "GET", "customer?as=jane")
    secret = shop.program.identity_secret
    assert secret is not None
    assert status == 200 and jane["email"] == "jane@example.com" and jane["signed"] is True
    assert jane["signature"] == identity_signature(secret, "jane@example.com")


def test_a_referred_first_order_is_discounted_by_the_server(shop: DemoShop) -> None:
    status, plain = ask(shop, "GET", "quote?item=guji&customer=sam")
    assert (status, plain["discount"], plain["total"]) == (200, None, 18.0)
    _, referred = ask(shop, "GET", "quote?item=guji&customer=sam", cookies=REFERRED)
    assert referred["discount"] == {
        "label": "Friend discount (15% off your first order)",
        "amount": 2.7,
    }
    assert referred["total"] == 15.3


def test_an_order_is_kept_once_and_a_second_order_gets_no_first_order_discount(
    shop: DemoShop,
) -> None:
    order = {"order_id": "demo-00000001", "item": "huila", "customer": "sam"}
    status, placed = ask(shop, "POST", "orders", cookies=REFERRED, body=order)
    assert status == 201 and placed["total"] == 14.02  # 16.50 less 2.475 off, rounded up to 2.48
    assert placed["referbee"]["reported"] is False  # the API is not there: said, not hidden
    assert "cannot reach the API" in placed["referbee"]["error"]
    again = ask(shop, "POST", "orders", cookies=REFERRED, body=order)
    assert again[0] == 200 and again[1]["order_id"] == "demo-00000001"
    assert ask(shop, "GET", "orders/demo-00000001")[1]["total"] == 14.02
    _, second = ask(shop, "GET", "quote?item=guji&customer=sam", cookies=REFERRED)
    assert second["discount"] is None and "first order" in second["note"]
    unreferred = {"order_id": "demo-00000002", "item": "guji", "customer": "jane"}
    assert ask(shop, "POST", "orders", body=unreferred)[1]["referbee"] == {
        "reported": False,
        "status": "no_referral",
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("GET", "customer?as=mallory", None, 400, "Sign in first"),
        ("GET", "quote?item=espresso", None, 400, "one of the shop's products"),
        ("POST", "orders", b"not json", 400, "JSON object"),
        ("POST", "orders", {"order_id": "x", "item": "guji", "customer": "sam"}, 400, "8-64"),
        ("POST", "orders", {"order_id": "demo-00000003", "item": "guji"}, 400, "Sign in"),
        ("GET", "orders/demo-99999999", None, 404, "no order"),
        ("GET", "orders", None, 405, "POST only"),
        ("DELETE", "customer", None, 405, "GET only"),
        ("GET", "admin", None, 404, "has no /shop/api/admin"),
    ],
)
def test_bad_input_is_refused_in_words(
    shop: DemoShop, method: str, path: str, body: Any, status: int, words: str
) -> None:
    answered, answer = ask(shop, method, path, body=body)
    assert answered == status and words in answer["error"]


def test_an_order_id_taken_by_another_cart_is_refused(shop: DemoShop) -> None:
    order = {"order_id": "demo-00000004", "item": "guji", "customer": "jane"}
    assert ask(shop, "POST", "orders", body=order)[0] == 201
    status, answer = ask(shop, "POST", "orders", body={**order, "item": "huila"})
    assert status == 409 and "another cart" in answer["error"]
