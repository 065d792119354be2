"""The pixel and the server-to-server conversions API."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.common import BROWSER, OTHER_PROGRAM_KEY, READ_KEY
from tests.helpers import body_of, click, convert, new_referrer, post_json

GIF = b"GIF89a"


def stats(api: Any, token: str) -> dict[str, Any]:
    return body_of(api.http.get(f"/v1/stats/{token}"))


def test_pixel_records_a_signup_from_the_click_id(api: Any) -> None:
    referrer = new_referrer(api)
    location = click(api, referrer["code"]).headers["Location"]
    click_id = parse_qs(urlsplit(location).query)["click"][0]
    response = api.http.get(f"/p.gif?program=shop&event=signup&click={click_id}")
    assert response.status_code == 200
    assert response.body.startswith(GIF) and len(response.body) == 42
    assert response.headers["Content-Type"] == "image/gif"
    assert "no-store" in response.headers["Cache-Control"]
    api.http.get(f"/p.gif?program=shop&event=signup&click={click_id}")  # reloaded thank-you page
    assert stats(api, referrer["stats_token"])["signups"] == 1


def test_pixel_records_a_purchase_from_ref(api: Any) -> None:
    referrer = new_referrer(api)
    click(api, referrer["code"])  # this browser followed the link: its ref names a referrer
    query = (
        f"program=shop&event=purchase&order=A100&amount=25.50&currency=EUR&ref={referrer['code']}"
    )
    pixel = api.http.get(f"/p.gif?{query}", headers={"user-agent": BROWSER})
    assert pixel.body.startswith(GIF)
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["purchases"], numbers["revenue"]) == (1, {"EUR": 25.5})


@pytest.mark.parametrize(
    "query",
    [
        "",
        "program=shop",
        "program=nope&event=signup&ref=abc2345",
        "program=shop&event=signup&ref=%3Cx%3E",
        "program=shop&event=purchase&ref=CODE&amount=-4&order=1",
        "program=shop&event=purchase&ref=CODE&order=1&amount=x",
        "program=shop&event=signup&click=forged",
        "program=shop&event=purchase&ref=CODE&amount=5",
        "program=shop&event=signup&ref=CODE&currency=ZZZ&amount=5",
        "a=%ff%fe&program[]=x",
    ],
)
def test_pixel_answers_a_gif_for_garbage_and_records_nothing(api: Any, query: str) -> None:
    referrer = new_referrer(api)
    response = api.http.get("/p.gif?" + query.replace("CODE", referrer["code"]))
    assert response.status_code == 200 and response.body.startswith(GIF)
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["signups"], numbers["purchases"], numbers["revenue"]) == (0, 0, {})


def test_api_purchase_is_idempotent_by_order_id(api: Any) -> None:
    referrer = new_referrer(api)
    body = {
        "event": "purchase",
        "order_id": "1001",
        "amount": 49.9,
        "currency": "eur",
        "ref": referrer["code"],
    }
    first = convert(api, body)
    assert first.status_code == 201
    created = body_of(first)
    assert (
        created["ref"] == referrer["code"]
        and created["amount"] == 49.9
        and created["currency"] == "EUR"
    )
    repeat = convert(api, {**body, "amount": 1})
    assert repeat.status_code == 200
    assert body_of(repeat) == created
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["purchases"], numbers["revenue"]) == (1, {"EUR": 49.9})


def test_concurrent_retries_of_one_order_count_once(api: Any, dynamo_ctx: Any) -> None:
    """20 threads record the same order through the domain service on moto."""
    from chalicelib.domain.conversions.flow import attribute_conversion
    from chalicelib.domain.conversions.input import parse_conversion

    referrer = new_referrer(api)
    shop = dynamo_ctx.catalogue.get("shop")
    request = parse_conversion(
        dynamo_ctx,
        shop,
        {"event": "purchase", "order_id": "race-1", "amount": 10, "ref": referrer["code"]},
    )
    results: list[bool] = []
    barrier = threading.Barrier(20)

    def go() -> None:
        barrier.wait()
        results.append(attribute_conversion(dynamo_ctx, shop, request)[1])

    threads = [threading.Thread(target=go) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 19 + [True]
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["purchases"], numbers["revenue"]) == (1, {"EUR": 10})


def test_conversions_need_a_write_key_for_the_program(api: Any) -> None:
    referrer = new_referrer(api)
    body = {"event": "signup", "order_id": "u1", "ref": referrer["code"]}
    assert post_json(api, "/v1/programs/shop/conversions", body).status_code == 401
    assert convert(api, body, key="rk_wrong_key").status_code == 401
    assert convert(api, body, key=READ_KEY).status_code == 403
    assert convert(api, body, key=OTHER_PROGRAM_KEY).status_code == 403
    basic = post_json(api, "/v1/programs/shop/conversions", body, {"authorization": "Basic abc"})
    assert basic.status_code == 401
    assert "Authorization: Bearer" in body_of(basic)["error"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"event": "purchase", "amount": 5, "ref": "CODE"},
            400,
            "'order_id' is required for purchases",
        ),
        (
            {"event": "purchase", "order_id": "x" * 200, "amount": 5, "ref": "CODE"},
            400,
            "1-128 printable",
        ),
        (
            {"event": "purchase", "order_id": "1", "amount": -5, "ref": "CODE"},
            400,
            "cannot be negative",
        ),
        (
            {"event": "purchase", "order_id": "1", "amount": "abc", "ref": "CODE"},
            400,
            "must be a number",
        ),
        (
            {"event": "purchase", "order_id": "1", "amount": 5, "currency": "EURO", "ref": "CODE"},
            400,
            "ISO 4217",
        ),
        (
            {"event": "signup", "ref": "CODE"},
            400,
            "'order_id' is required for a signup without 'click_id'",
        ),
        (
            {"event": "signup", "order_id": "u", "ref": "zzz9999"},
            400,
            "does not exist in program 'shop'",
        ),
        (
            {"event": "signup", "order_id": "u", "ref": "CODE", "orderId": "u"},
            400,
            "Unknown field 'orderId' (did you mean 'order_id'?)",
        ),
        ({"event": "signup", "order_id": "u"}, 400, "Send 'ref'"),
        ({"event": 5, "order_id": "u", "ref": "CODE"}, 400, "'event' must be"),
    ],
)
def test_bad_conversions_get_clear_errors_and_record_nothing(
    api: Any, body: dict[str, Any], status: int, message: str
) -> None:
    referrer = new_referrer(api)
    body = {k: (referrer["code"] if v == "CODE" else v) for k, v in body.items()}
    response = convert(api, body)
    assert response.status_code == status
    assert message in body_of(response)["error"]
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["signups"], numbers["purchases"]) == (0, 0)


def test_a_code_of_another_program_is_refused(api: Any) -> None:
    referrer = new_referrer(api)
    response = convert(
        api, {"event": "signup", "order_id": "u1", "ref": referrer["code"]}, program="acme"
    )
    assert response.status_code == 400
    assert "does not exist in program 'acme'" in body_of(response)["error"]
