"""Each fraud rule flags a conversion with its reason and no reward, on DynamoDB (moto)
through the API; a clean conversion passes every rule untouched."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.domain.trust.signed_conversions import amount_text, conversion_signature
from chalicelib.store.dynamo import DynamoStore
from tests.common import BROWSER
from tests.helpers import body_of, click
from tests.trust import (
    AUTH,
    FRIEND,
    SECRET_OF_SHOP,
    api_purchase,
    beacon,
    issue,
    stats_of,
    trust_api,
    trust_document,
)

EVERY_RULE: dict[str, Any] = {
    "self_referral": True,
    "duplicate_identity": {"max_per_identity": 1},
    "velocity": {"per_referrer_per_hour": 5, "per_visitor_per_day": 3},
    "disposable_email": {"block": ["burner.example"], "allow": ["friendly-temp.example"]},
    "bots": True,
    "require_click": True,
}


# These rules screen browser conversions that name a bare ref, so the program accepts them
# (`trust.browser_referrals: ref`); by default such a conversion names no referrer at all
# (tests/functional/test_confirmation.py).
BARE_REFS = {"browser_referrals": "ref"}


@pytest.fixture
def api(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, trust_document(EVERY_RULE, trust=BARE_REFS)) as (client, _):
        yield client


def click_id_of(api: Any, code: str, agent: str = FRIEND) -> str:
    location = click(api, code, ua=agent).headers["Location"]
    return parse_qs(urlsplit(location).query)["click"][0]


def assert_flagged(api: Any, response: Any, reason: str) -> dict[str, Any]:
    """Recorded for review, with no reward; the reason shows in the review queue (and in the
    answer to a keyed call, never to a browser's beacon)."""
    assert response.status_code == 201, response.body
    body = body_of(response)
    assert body["status"] == "review"
    assert body["rewards"] == []
    queue = body_of(api.http.get("/v1/programs/shop/reviews", headers=AUTH))["reviews"]
    entry = next(r for r in queue if r["id"] == f"{body['event']}:{body['order_id']}")
    assert reason in entry["flags"]
    return entry


def assert_nothing_counted(api: Any, referrer: dict[str, Any]) -> None:
    numbers = stats_of(api, referrer)
    assert (numbers["signups"], numbers["purchases"], numbers["revenue"]) == (0, 0, {})
    assert numbers["successful_referrals"] == 0
    assert numbers["rewards"]["items"] == []


def test_a_clean_conversion_passes_every_rule_untouched(api: Any) -> None:
    referrer = issue(api)
    click_id = click_id_of(api, referrer["code"])
    body = {
        "event": "purchase",
        "order_id": "1001",
        "amount": 40,
        "click_id": click_id,
        "email": "friend@example.com",
    }
    response = beacon(api, body)
    assert response.status_code == 201, response.body
    recorded = body_of(response)
    assert recorded["status"] == "recorded" and "flags" not in recorded
    assert {r["side"] for r in recorded["rewards"]} == {"referrer", "friend"}
    numbers = stats_of(api, referrer)
    assert (numbers["purchases"], numbers["revenue"]) == (1, {"EUR": 40})
    assert numbers["successful_referrals"] == 1


@pytest.mark.parametrize(
    "email",
    [
        "jane@gmail.com",
        "J.A.N.E+friend@gmail.com",  # dots and plus-addressing at Gmail
        "jane@googlemail.com",
        "j\u0430ne@gmail.com",  # Cyrillic a
        "\uff4a\uff41\uff4e\uff45@gmail.com",  # full-width letters
        "jane@gm\u0430il.com",  # a look-alike in the domain
    ],
)
def test_self_referral_by_email_even_disguised(api: Any, email: str) -> None:
    referrer = issue(api, "jane@gmail.com")
    response = api_purchase(api, referrer["code"], "2001", email=email)
    assert_flagged(api, response, "self_referral:email")
    assert_nothing_counted(api, referrer)


def test_self_referral_by_customer_id_that_is_the_referrers_email(api: Any) -> None:
    referrer = issue(api, "jane@gmail.com")
    response = api_purchase(api, referrer["code"], "2002", customer_id="Jane+shop@gmail.com")
    assert_flagged(api, response, "self_referral:email")


def test_self_referral_by_the_referrers_own_browser(api: Any) -> None:
    referrer = issue(api, agent=BROWSER + " (jane)")
    click_id = click_id_of(api, referrer["code"], agent=BROWSER + " (jane)")
    response = beacon(
        api,
        {"event": "signup", "order_id": "s1", "click_id": click_id},
        agent=BROWSER + " (jane)",
    )
    assert_flagged(api, response, "self_referral:visitor")
    assert_nothing_counted(api, referrer)


def test_duplicate_identity_by_visitor_and_by_email(api: Any) -> None:
    referrer = issue(api)
    first = click_id_of(api, referrer["code"])
    ok = beacon(api, {"event": "signup", "order_id": "u1", "click_id": first})
    assert body_of(ok)["status"] == "recorded"
    again = beacon(api, {"event": "signup", "order_id": "u2", "click_id": first})
    assert_flagged(api, again, "duplicate_identity:visitor")
    # One email behind two accounts, from two browsers.
    other = BROWSER + " (second friend)"
    second = click_id_of(api, referrer["code"], agent=other)
    api_purchase(api, referrer["code"], "p1", email="kim@example.com")
    response = beacon(
        api,
        {
            "event": "purchase",
            "order_id": "p2",
            "amount": 9,
            "click_id": second,
            "email": "Kim+2@example.com",
        },
        agent=other,
    )
    assert_flagged(api, response, "duplicate_identity:email")
    assert stats_of(api, referrer)["signups"] == 1


def test_velocity_per_referrer_per_hour(api: Any) -> None:
    referrer = issue(api)
    for order in range(5):
        assert body_of(api_purchase(api, referrer["code"], f"v{order}"))["status"] == "recorded"
    response = api_purchase(api, referrer["code"], "v5")
    assert_flagged(api, response, "velocity:referrer_per_hour")
    assert stats_of(api, referrer)["purchases"] == 5


def test_velocity_per_visitor_per_day(dynamo_store: DynamoStore) -> None:
    rules = {"velocity": {"per_visitor_per_day": 2, "per_referrer_per_hour": 1000}}
    with trust_api(dynamo_store, trust_document(rules, trust=BARE_REFS)) as (api, _):
        codes = [issue(api, f"r{n}@example.com")["code"] for n in range(3)]
        statuses = []
        for n, code in enumerate(codes):
            body = {"event": "signup", "order_id": f"x{n}", "ref": code}
            statuses.append(body_of(beacon(api, body))["status"])
        assert statuses == ["recorded", "recorded", "review"]
        flagged = beacon(api, {"event": "signup", "order_id": "x9", "ref": codes[0]})
        assert assert_flagged(api, flagged, "velocity:visitor_per_day")["flags"] == [
            "velocity:visitor_per_day"
        ]


@pytest.mark.parametrize(
    ("email", "flagged"),
    [
        ("someone@mailinator.com", "disposable_email:mailinator.com"),  # the package's list
        ("someone@sub.mailinator.com", "disposable_email:sub.mailinator.com"),
        ("someone@burner.example", "disposable_email:burner.example"),  # block: in the config
        ("someone@friendly-temp.example", None),  # allow: in the config
        ("someone@example.com", None),
    ],
)
def test_disposable_email_domains(api: Any, email: str, flagged: str | None) -> None:
    referrer = issue(api)
    response = api_purchase(api, referrer["code"], "d1", email=email)
    if flagged is None:
        assert body_of(response)["status"] == "recorded"
    else:
        assert_flagged(api, response, flagged)


def test_a_browser_is_not_told_which_rule_flagged_it(api: Any) -> None:
    referrer = issue(api)
    response = beacon(api, {"event": "signup", "order_id": "q1", "ref": referrer["code"]})
    assert body_of(response)["status"] == "review"
    assert "flags" not in body_of(response)


def test_bots_and_link_preview_crawlers(api: Any) -> None:
    referrer = issue(api)
    click_id = click_id_of(api, referrer["code"], agent="Slackbot-LinkExpanding 1.0")
    response = beacon(
        api,
        {"event": "signup", "order_id": "b1", "click_id": click_id},
        agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    )
    assert_flagged(api, response, "bot")


def test_no_prior_click_from_that_visitor(api: Any) -> None:
    referrer = issue(api)
    forged = beacon(api, {"event": "signup", "order_id": "n1", "ref": referrer["code"]})
    assert_flagged(api, forged, "no_prior_click")
    # The same visitor after a real click on the link: clean.
    click_id_of(api, referrer["code"], agent=BROWSER + " (clicker)")
    clicked = beacon(
        api,
        {"event": "signup", "order_id": "n2", "ref": referrer["code"]},
        agent=BROWSER + " (clicker)",
    )
    assert body_of(clicked)["status"] == "recorded"


def test_a_flagged_pixel_is_recorded_for_review_and_counts_nothing(api: Any) -> None:
    referrer = issue(api)
    api.http.get(
        f"/p.gif?program=shop&event=signup&order=g1&ref={referrer['code']}",
        headers={"user-agent": FRIEND},
    )
    listed = body_of(
        api.http.get(
            "/v1/programs/shop/reviews",
            headers={"authorization": "Bearer rk_test_admin_key_0123456789"},
        )
    )["reviews"]
    assert [(r["id"], r["flags"]) for r in listed] == [("signup:g1", ["no_prior_click"])]
    assert_nothing_counted(api, referrer)


def signed(event: str, order: str, amount: str, secret: str = SECRET_OF_SHOP) -> str:
    return conversion_signature(secret, event, order, amount)


@pytest.fixture
def signing_api(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, trust_document({"signed_conversions": True})) as (client, _):
        yield client


def test_signed_conversions_accept_the_owners_signature(signing_api: Any) -> None:
    api = signing_api
    referrer = issue(api)
    click_id_of(api, referrer["code"])  # the friend's real click names the referrer
    sig = signed("purchase", "1001", amount_text("49.9", "EUR"))
    assert sig == signed("purchase", "1001", "49.90")
    body = {
        "event": "purchase",
        "order_id": "1001",
        "amount": 49.9,
        "ref": referrer["code"],
        "signature": sig,
    }
    assert beacon(api, body).status_code == 201
    # Replayed as is: the same order, counted once.
    assert beacon(api, body).status_code == 200
    assert beacon(api, {**body, "ref": issue(api, "kim@example.com")["code"]}).status_code == 200
    pixel = (
        f"/p.gif?program=shop&event=purchase&order=1001&amount=49.90&ref={referrer['code']}"
        f"&sig={sig}"
    )
    api.http.get(pixel, headers={"user-agent": FRIEND})
    assert stats_of(api, referrer)["purchases"] == 1


@pytest.mark.parametrize(
    "forgery",
    [
        {"signature": "0" * 64},  # forged
        {},  # missing
        {"order_id": "1002"},  # replayed on another order
        {"amount": 4990},  # replayed with another amount
        {"signature": signed("purchase", "1001", "49.90", secret="another-program-secret")},
    ],
)
def test_forged_and_replayed_signatures_are_refused(
    signing_api: Any, forgery: dict[str, Any]
) -> None:
    api = signing_api
    referrer = issue(api)
    body = {
        "event": "purchase",
        "order_id": "1001",
        "amount": 49.9,
        "ref": referrer["code"],
        "signature": signed("purchase", "1001", "49.90"),
        **forgery,
    }
    if not forgery:
        body.pop("signature")
    response = beacon(api, body)
    assert response.status_code == 401
    assert "signature" in body_of(response)["error"]
    query = f"program=shop&event=purchase&order={body['order_id']}&amount={body['amount']}"
    query += f"&ref={referrer['code']}" + (
        f"&sig={body['signature']}" if "signature" in body else ""
    )
    gif = api.http.get(f"/p.gif?{query}", headers={"user-agent": FRIEND})
    assert gif.headers["Content-Type"] == "image/gif"
    assert stats_of(api, referrer)["purchases"] == 0


def test_a_signup_signature_cannot_record_a_purchase(signing_api: Any) -> None:
    api = signing_api
    referrer = issue(api)
    sig = signed("signup", "acct-7", amount_text(0, "EUR"))
    ok = beacon(
        api, {"event": "signup", "order_id": "acct-7", "ref": referrer["code"], "signature": sig}
    )
    assert ok.status_code == 201
    replayed = beacon(
        api,
        {
            "event": "purchase",
            "order_id": "acct-7",
            "amount": 0,
            "ref": referrer["code"],
            "signature": sig,
        },
    )
    assert replayed.status_code == 401


def test_server_conversions_with_a_key_need_no_signature(signing_api: Any) -> None:
    referrer = issue(signing_api)
    assert api_purchase(signing_api, referrer["code"], "srv-1").status_code == 201
