"""The routes the widget calls without credentials: QR code, greeting name, conversion beacon."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.domain.referrals.sharing import qr_svg
from tests.common import BROWSER
from tests.helpers import body_of, click, count_requests, new_referrer


def beacon(api: Any, body: Any, program: str = "shop", content_type: str = "text/plain") -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return api.http.post(
        f"/v1/programs/{program}/beacon",
        body=raw,
        headers={"content-type": content_type, "user-agent": BROWSER},
    )


def test_qr_code_is_an_svg_of_the_link_tagged_qr_with_long_caching(api: Any) -> None:
    referrer = new_referrer(api)
    response = api.http.get(f"/v1/programs/shop/codes/{referrer['code']}/qr.svg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.body == qr_svg(referrer["link"] + "?ch=qr")
    assert response.body.startswith(b"<svg") and b"<script" not in response.body
    assert qr_svg(referrer["link"] + "?ch=qr") != qr_svg(referrer["link"])


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/v1/programs/shop/codes/%3Cx%3E/qr.svg", 400, "is not a referral code"),
        ("/v1/programs/shop/codes/ab/qr.svg", 400, "is not a referral code"),
        ("/v1/programs/nope/codes/abcdefg/qr.svg", 404, "There is no referral program 'nope'"),
    ],
)
def test_qr_code_rejects_bad_codes_and_programs(
    api: Any, path: str, status: int, message: str
) -> None:
    response = api.http.get(path)
    assert response.status_code == status
    assert message in body_of(response)["error"]


def test_greeting_gives_the_first_name_only(api: Any) -> None:
    referrer = new_referrer(api, email="jane.doe@example.com")
    response = api.http.get(f"/v1/programs/shop/codes/{referrer['code'].upper()}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert body_of(response) == {
        "code": referrer["code"],
        "program": "shop",
        "name": "Jane",
        "discount_code": referrer["code"].upper(),  # what the friend types at checkout
    }
    assert b"example.com" not in response.body


@pytest.mark.parametrize(
    ("name", "shown"), [("", None), ("jane@example.com", None), (" Zoë ", "Zoë")]
)
def test_greeting_never_shows_an_email_typed_as_a_name(api: Any, name: str, shown: str) -> None:
    response = api.http.post(
        "/v1/programs/shop/referrers",
        body=json.dumps({"email": f"n{len(name)}@example.com", "name": name}).encode(),
        headers={"content-type": "application/json"},
    )
    code = body_of(response)["code"]
    assert body_of(api.http.get(f"/v1/programs/shop/codes/{code}"))["name"] == shown


def test_greeting_is_404_for_unknown_codes_and_other_programs(api: Any) -> None:
    referrer = new_referrer(api)
    for path in (
        "/v1/programs/shop/codes/zzzzzzz",
        f"/v1/programs/acme/codes/{referrer['code']}",
        f"/v1/programs/nope/codes/{referrer['code']}",
    ):
        response = api.http.get(path)
        assert response.status_code == 404, path
        assert "error" in body_of(response)
    assert api.http.get("/v1/programs/shop/codes/a%20b").status_code == 400


def test_greeting_costs_one_getitem_and_the_qr_code_none(api: Any, dynamo_store: Any) -> None:
    referrer = new_referrer(api)
    code = referrer["code"]
    assert count_requests(
        dynamo_store, lambda: api.http.get(f"/v1/programs/shop/codes/{code}")
    ) == {"GetItem": 1}
    assert (
        count_requests(dynamo_store, lambda: api.http.get(f"/v1/programs/shop/codes/{code}/qr.svg"))
        == {}
    )


def test_beacon_records_a_text_plain_conversion_once(api: Any) -> None:
    referrer = new_referrer(api)
    location = click(api, referrer["code"], query="?ch=x").headers["Location"]
    click_id = parse_qs(urlsplit(location).query)["click"][0]
    body = {"event": "purchase", "order_id": "b-1", "amount": "19.90", "ref": referrer["code"]}
    first = beacon(api, {**body, "click_id": click_id}, content_type="text/plain;charset=UTF-8")
    assert first.status_code == 201, first.body
    assert body_of(first)["status"] == "recorded"
    again = beacon(api, {**body, "click_id": click_id})
    assert again.status_code == 200
    assert body_of(again) == body_of(first)
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert stats["purchases"] == 1 and stats["revenue"] == {"EUR": 19.9}


def test_beacon_signup_without_order_id_counts_once_per_visitor(api: Any) -> None:
    referrer = new_referrer(api)
    click(api, referrer["code"])
    for _ in range(3):
        assert beacon(api, {"event": "signup", "ref": referrer["code"]}).status_code in (200, 201)
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert stats["signups"] == 1


@pytest.mark.parametrize(
    ("body", "program", "status", "message"),
    [
        (b"not json", "shop", 400, "not valid JSON"),
        (b"[]", "shop", 400, "must be a JSON object"),
        ({"event": "purchase", "ref": "abcdefg"}, "shop", 400, "'order_id' is required"),
        ({"event": "refund", "ref": "abcdefg"}, "shop", 400, "'event' must be"),
        ({"event": "signup", "ref": "x", "secret": 1}, "shop", 400, "Unknown field 'secret'"),
        ({"event": "signup", "ref": "abcdefg"}, "nope", 404, "no referral program"),
    ],
)
def test_beacon_rejects_bad_input_with_a_message(
    api: Any, body: Any, program: str, status: int, message: str
) -> None:
    response = beacon(api, body, program=program)
    assert response.status_code == status
    assert message in body_of(response)["error"]
