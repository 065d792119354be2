"""GET /v1/programs/{program} and POST /v1/programs/{program}/referrers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.domain.referrals.identity import identity_signature
from tests.common import ADMIN_KEY, IDENTITY_SECRET, OTHER_PROGRAM_KEY, READ_KEY
from tests.helpers import body_of, new_referrer, post_json

ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}


def test_program_info_is_public_and_complete(api: Any) -> None:
    response = api.http.get("/v1/programs/shop")
    assert response.status_code == 200
    body = body_of(response)
    assert body["name"] == "Test Shop"
    assert body["rewards"]["friend"] == {"text": "15% off", "kind": "percent", "percent": 15}
    assert body["rewards"]["referrer"]["text"] == "EUR 10 credit"
    assert body["share_message"].endswith("{link}")
    assert body["tiers"] == []
    assert "Access-Control-Allow-Origin" not in response.headers  # no Origin: not a browser
    shop = api.http.get("/v1/programs/shop", headers={"origin": "https://shop.example.com"})
    assert shop.headers["Access-Control-Allow-Origin"] == "https://shop.example.com"


def test_program_info_speaks_the_readers_language_when_asked(api: Any) -> None:
    """The shop gives no texts per language: every locale reads the program's own words; a
    locale that is not a language tag is refused."""
    for locale in ("fr", "pt-BR", "en"):
        body = body_of(api.http.get(f"/v1/programs/shop?locale={locale}"))
        assert body["rewards"]["friend"]["text"] == "15% off", locale
    for wrong in ("%3Cb%3E", "", "french"):
        bad = api.http.get(f"/v1/programs/shop?locale={wrong}")
        assert bad.status_code == 400, wrong
        assert body_of(bad)["error"] == "'locale' must be a language tag like fr, de or pt-BR."


def test_unknown_program_is_404_json(api: Any) -> None:
    response = api.http.get("/v1/programs/nope")
    assert response.status_code == 404
    assert body_of(response) == {"error": "There is no referral program 'nope'."}
    response = post_json(api, "/v1/programs/nope/referrers", {"email": "a@b.co"})
    assert response.status_code == 404


def test_issue_code_once_then_the_same_code(api: Any) -> None:
    path = "/v1/programs/shop/referrers"
    first = post_json(api, path, {"email": "Jane@Example.com", "name": "Jane Doe"})
    assert first.status_code == 200
    body = body_of(first)
    code = body["code"]
    assert body == {
        "code": code,
        "program": "shop",
        "link": f"https://api.example.net/r/{code}",
        "discount_code": code.upper(),
        "stats_link_sent_to": "j\u2026@example.com",
    }
    again = post_json(api, path, {"email": " jane@example.COM ", "name": "J"})
    assert again.status_code == 200
    assert body_of(again) == body
    trusted = post_json(api, path, {"email": "jane@example.com"}, ADMIN)
    assert trusted.status_code == 200
    view = body_of(trusted)
    token = view["stats_token"]
    assert view["code"] == code and view["name"] == "Jane Doe"  # the first name stays
    assert view["stats_url"] == f"https://refer.example.net/stats/?t={token}"
    other = new_referrer(api, "john@example.com")
    assert other["code"] != code and other["stats_token"] != token
    elsewhere = post_json(api, "/v1/programs/acme/referrers", {"email": "jane@example.com"}, ADMIN)
    assert elsewhere.status_code == 201 and body_of(elsewhere)["code"] != code


def test_identity_signature_guards_programs_that_ask_for_it(api: Any) -> None:
    path = "/v1/programs/acme/referrers"
    missing = post_json(api, path, {"email": "jane@example.com"})
    assert missing.status_code == 401
    assert "requires 'signature'" in body_of(missing)["error"]
    wrong = post_json(
        api,
        path,
        {
            "email": "jane@example.com",
            "signature": identity_signature(IDENTITY_SECRET, "john@example.com"),
        },
    )
    assert wrong.status_code == 401
    good = post_json(
        api,
        path,
        {
            "email": "Jane@Example.com",
            "signature": identity_signature(IDENTITY_SECRET, "jane@example.com"),
        },
    )
    assert good.status_code == 201
    by_admin = post_json(
        api, path, {"email": "jane@example.com"}, {"authorization": f"Bearer {ADMIN_KEY}"}
    )
    assert by_admin.status_code == 200 and body_of(by_admin)["code"] == body_of(good)["code"]
    scoped = post_json(
        api, path, {"email": "kim@example.com"}, {"authorization": f"Bearer {OTHER_PROGRAM_KEY}"}
    )
    assert scoped.status_code == 201
    read_only = post_json(
        api, path, {"email": "lee@example.com"}, {"authorization": f"Bearer {READ_KEY}"}
    )
    assert read_only.status_code == 403
    bogus = post_json(api, path, {"email": "lee@example.com"}, {"authorization": "Bearer rk_nope"})
    assert bogus.status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"", 400, "must be a JSON object"),
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "must be a JSON object"),
        (b"\xff\xfe", 400, "not valid JSON"),
        (json.dumps({"email": "x" * 17000}).encode(), 413, "over 16 KiB"),
        ({"email": "not-an-email"}, 400, "'email' is not a valid address"),
        ({"email": 5}, 400, "'email' is required and must be text"),
        ({"name": "Jane"}, 400, "'email' is required"),
        ({"email": "a@b.co", "name": ["x"]}, 400, "'name' must be text"),
        ({"email": "a@b.co", "name": "x" * 200}, 400, "'name' is too long"),
        ({"email": "a@b.co", "emial": "x"}, 400, "Unknown field 'emial'"),
    ],
)
def test_bad_referrer_requests_get_clear_errors(
    api: Any, body: Any, status: int, message: str
) -> None:
    response = post_json(api, "/v1/programs/shop/referrers", body)
    assert response.status_code == status
    assert message in body_of(response)["error"]


def test_json_sent_as_text_plain_is_accepted_and_other_types_are_explained(api: Any) -> None:
    raw = json.dumps({"email": "beacon@example.com"}).encode()
    plain = api.http.post(
        "/v1/programs/shop/referrers", body=raw, headers={"content-type": "text/plain"}
    )
    assert plain.status_code == 200
    form = api.http.post(
        "/v1/programs/shop/referrers",
        body=raw,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    assert "Content-Type: application/json" in body_of(form)["error"]


def test_wrong_method_is_a_json_405(api: Any) -> None:
    response = api.http.request("DELETE", "/v1/programs/shop")
    assert response.status_code == 405
    assert body_of(response) == {"error": "Unsupported method: DELETE"}


def test_requests_without_accept_header_get_json(api: Any) -> None:
    response = api.http.get("/v1/programs/shop", headers={})
    assert response.status_code == 200 and body_of(response)["id"] == "shop"
