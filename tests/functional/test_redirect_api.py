"""GET /r/{code}: redirect, counting, bots, unknown codes and no open redirect."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.common import PHONE
from tests.helpers import body_of, click, new_referrer
from tests.rollups import settle


def stats(api: Any, token: str, delivered: bool = True) -> dict[str, Any]:
    """The stats view, once the rollups have counted what the stream carried (unless not
    `delivered` yet: the rollup function's batching window)."""
    if delivered:
        settle()
    response = api.http.get(f"/v1/stats/{token}")
    assert response.status_code == 200
    return body_of(response)


def test_click_redirects_with_ref_and_click_id_and_is_counted(api: Any) -> None:
    referrer = new_referrer(api)
    response = click(api, referrer["code"].upper(), query="?ch=whatsapp")
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"
    location = urlsplit(response.headers["Location"])
    assert (location.netloc, location.path, location.fragment) == (
        "shop.example.com",
        "/welcome",
        "top",
    )
    query = parse_qs(location.query)
    assert query["ref"] == [referrer["code"]]
    assert query["click"][0].startswith(referrer["code"] + ".")
    # Counted off the redirect's path: the click reaches the stats with the stream.
    assert stats(api, referrer["stats_token"], delivered=False)["clicks"] == 0
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["clicks"], numbers["unique_clicks"]) == (1, 1)
    assert numbers["channels"] == {"whatsapp": 1}


def test_unique_clicks_are_per_visitor_and_bots_and_head_are_not_counted(api: Any) -> None:
    referrer = new_referrer(api)
    code = referrer["code"]
    assert click(api, code).status_code == 302
    assert click(api, code).status_code == 302
    assert click(api, code, ua=PHONE).status_code == 302
    assert (
        click(
            api, code, ua="Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
        ).status_code
        == 302
    )
    assert click(api, code, ua="").status_code == 302
    head = click(api, code, method="HEAD")
    assert head.status_code == 302 and head.headers["Location"].startswith(
        "https://shop.example.com/"
    )
    numbers = stats(api, referrer["stats_token"])
    assert (numbers["clicks"], numbers["unique_clicks"]) == (3, 2)
    assert numbers["daily"] == [
        {
            "date": numbers["daily"][0]["date"],
            "clicks": 3,
            "unique_clicks": 2,
            "signups": 0,
            "purchases": 0,
            "revenue": {},
        }
    ]


@pytest.mark.parametrize(
    "code",
    [
        "zzzz234",
        "nope",
        "a%2Fb",
        "..",
        "abc%0d%0aSet-Cookie:x=1",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "x" * 60,
    ],
)
def test_unknown_or_odd_codes_get_a_readable_404_page(api: Any, code: str) -> None:
    response = click(api, code)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Location" not in response.headers
    page = response.body.decode()
    assert "This referral link does not work" in page
    assert "<script>" not in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    # A way on to each program's shop, without a referral.
    assert (
        '<a href="https://shop.example.com/welcome?utm_source=referbee#top">Go to Test Shop</a>'
        in page
    )
    assert '<a href="https://acme.example/">Go to Acme</a>' in page


@pytest.mark.parametrize(
    "query",
    [
        "?to=https://evil.example/",
        "?to=//evil.example",
        "?to=%2F%2Fevil.example",
        "?next=https://evil.example",
        "?url=https://evil.example",
        "?to=https:%2F%2Fevil.example",
        "?to=@evil.example",
        "?to=javascript:alert(1)",
        "?to=\\\\evil.example",
    ],
)
def test_the_target_never_comes_from_the_request(api: Any, query: str) -> None:
    referrer = new_referrer(api)
    location = click(api, referrer["code"], query=query).headers["Location"]
    assert urlsplit(location).netloc == "shop.example.com"
    assert "evil" not in location and "javascript" not in location


def test_named_landing_page(api: Any) -> None:
    referrer = new_referrer(api)
    location = click(api, referrer["code"], query="?to=sale").headers["Location"]
    assert location.startswith(f"https://www.shop.example.com/sale?ref={referrer['code']}&click=")
