"""GET /v1/stats/{token}."""

from __future__ import annotations

from typing import Any

import pytest

from tests.common import PHONE
from tests.helpers import body_of, click, convert, new_referrer
from tests.rollups import settle


def test_stats_add_up_clicks_and_conversions_per_day_and_currency(api: Any, clock: Any) -> None:
    referrer = new_referrer(api)
    code = referrer["code"]
    click(api, code)
    click(api, code, ua=PHONE, query="?ch=email")
    convert(api, {"event": "signup", "order_id": "u1", "ref": code})
    convert(api, {"event": "purchase", "order_id": "p1", "amount": 10, "ref": code})
    clock.advance(86400)
    click(api, code)
    convert(
        api, {"event": "purchase", "order_id": "p2", "amount": 5.25, "currency": "USD", "ref": code}
    )
    settle()  # clicks are counted by the rollups, from the stream
    body = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert body["code"] == code and body["name"] == "Jane Doe"
    assert body["link"] == f"https://api.example.net/r/{code}"
    assert (body["clicks"], body["unique_clicks"], body["signups"], body["purchases"]) == (
        3,
        3,
        1,
        2,
    )
    assert body["revenue"] == {"EUR": 10, "USD": 5.25}
    assert body["channels"] == {"direct": 2, "email": 1}
    assert body["successful_referrals"] == 2  # the shop program's success event is purchase
    assert body["daily"] == [
        {
            "date": "2026-11-18",
            "clicks": 2,
            "unique_clicks": 2,
            "signups": 1,
            "purchases": 1,
            "revenue": {"EUR": 10},
        },
        {
            "date": "2026-11-19",
            "clicks": 1,
            "unique_clicks": 1,
            "signups": 0,
            "purchases": 1,
            "revenue": {"USD": 5.25},
        },
    ]


@pytest.mark.parametrize(
    "token", ["nope", "abc2345.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "..", "%00", "x" * 500]
)
def test_unknown_tokens_are_404(api: Any, token: str) -> None:
    response = api.http.get(f"/v1/stats/{token}")
    assert response.status_code == 404
    assert "not valid" in body_of(response)["error"]


def test_a_token_for_a_code_that_was_never_issued_is_404(api: Any, dynamo_ctx: Any) -> None:
    token = dynamo_ctx.signer.stats_token("neverissued", 1)
    assert api.http.get(f"/v1/stats/{token}").status_code == 404
