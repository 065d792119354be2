"""Program config: valid documents load; every mistake is reported with program and field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
from chalicelib.model.errors import ConfigError, NotFoundError
from tests.common import config_document


def problems_of(document: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_programs(document)
    return caught.value.problems


def test_valid_config_loads_with_defaults() -> None:
    catalogue = parse_programs(config_document())
    shop = catalogue.get("shop")
    assert shop.attribution_window_days == 30
    assert shop.currency == "EUR"
    assert shop.allowed_hosts == ("shop.example.com", "www.shop.example.com")
    assert shop.referrer_reward.amount == Decimal(10)
    assert shop.referrer_reward.currency == "EUR"
    assert shop.identity_secret is None
    acme = catalogue.get("acme")
    assert acme.allowed_hosts == ("acme.example",)  # defaults to the landing URL's host
    assert acme.attribution_window_days == 7
    assert acme.friend_reward.kind == "coupon"
    assert catalogue.default.id == "shop"


def test_demo_config_is_valid() -> None:
    assert parse_programs(DEMO_CONFIG).get("demo").name == "Demo Coffee Club"


def test_unknown_program_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="no referral program 'nope'"):
        parse_programs(config_document()).get("nope")


def test_landing_pages_resolve_by_name_only() -> None:
    shop = parse_programs(config_document()).get("shop")
    assert shop.landing_for("sale") == "https://www.shop.example.com/sale"
    assert shop.landing_for("https://evil.example/") == shop.landing_url
    assert shop.landing_for(None) == shop.landing_url


def test_public_view_hides_the_identity_secret() -> None:
    acme = parse_programs(config_document()).get("acme").public()
    assert "identity_secret" not in str(acme)
    assert acme["identity_required"] is True
    assert acme["rewards"]["referrer"] == {"text": "500 points", "kind": "points", "points": 500}


def test_every_problem_is_reported_with_program_and_field() -> None:
    document = config_document()
    shop = document["programs"][0]
    shop["landng_url"] = shop.pop("landing_url")
    shop["currency"] = "EURO"
    shop["attribution_window_days"] = 0
    shop["rewards"]["referrer"]["amount"] = -5
    document["programs"][1]["id"] = "Bad Id!"
    problems = problems_of(document)
    assert "program 'shop'.landng_url: unknown field (did you mean 'landing_url'?)" in problems
    assert "program 'shop'.landing_url: is required" in problems
    assert "program 'shop'.currency: 'EURO' is not an ISO 4217 currency code" in problems
    assert "program 'shop'.attribution_window_days: must be between 1 and 365, not 0" in problems
    assert (
        "program 'shop'.rewards.referrer.amount: must be between 0 and 1000000, not -5" in problems
    )
    assert any(p.startswith("program 'Bad Id!'.id: 'Bad Id!' must be") for p in problems)


@pytest.mark.parametrize(
    ("landing_url", "message"),
    [
        ("http://shop.example.com/", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("https://user:pw@shop.example.com/", "not a plain URL"),
        ("https://shop.example.com/a b", "not a plain URL"),
        ("https:///path", "no valid host name"),
        ("https://other.example.com/", "is not in allowed_hosts"),
    ],
)
def test_landing_url_must_be_a_safe_https_url_on_an_allowed_host(
    landing_url: str, message: str
) -> None:
    document = config_document()
    document["programs"][0]["landing_url"] = landing_url
    assert any(message in p for p in problems_of(document))


def test_http_is_allowed_for_localhost_only() -> None:
    document = config_document()
    document["programs"][0].update(
        landing_url="http://localhost:8001/shop/", allowed_hosts=["localhost"]
    )
    document["programs"][0].pop("landing_pages")
    assert parse_programs(document).get("shop").landing_url == "http://localhost:8001/shop/"


def test_landing_pages_must_stay_on_allowed_hosts() -> None:
    document = config_document()
    document["programs"][0]["landing_pages"] = {
        "evil": "https://evil.example/",
        "Bad Name": "https://shop.example.com/",
    }
    problems = problems_of(document)
    assert (
        "program 'shop'.landing_pages.evil: host 'evil.example' is not in allowed_hosts" in problems
    )
    assert any("landing_pages.Bad Name: page names are" in p for p in problems)


def test_duplicate_ids_short_secret_bad_placeholder_and_kinds() -> None:
    document = config_document()
    document["programs"][1]["id"] = "shop"
    document["programs"][1]["identity_secret"] = "short"
    document["programs"][0]["share_message"] = "Join {shop}: {link}"
    document["programs"][0]["rewards"]["friend"] = {"text": "x", "kind": "cash"}
    problems = problems_of(document)
    assert "program 'shop'.id: 'shop' is used by two programs" in problems
    assert "program 'shop'.identity_secret: must be at least 16 characters long" in problems
    assert any(
        p.startswith("program 'shop'.share_message: unknown placeholder {shop}") for p in problems
    )
    assert (
        "program 'shop'.rewards.friend.kind: 'cash' is not one of credit, percent, coupon, points"
        in problems
    )


@pytest.mark.parametrize(
    "document", [None, [], {"programs": []}, {"programs": "x"}, {"programs": [5]}]
)
def test_shapeless_documents_are_rejected(document: Any) -> None:
    assert problems_of(document)


def test_success_event_and_brand() -> None:
    document = config_document()
    document["programs"][0].update(success_event="signup", brand={"primary_color": "#AA00cc"})
    shop = parse_programs(document).get("shop")
    assert shop.success_event == "signup"
    assert shop.public()["brand"] == {"primary_color": "#aa00cc"}
    assert parse_programs(config_document()).get("shop").success_event == "purchase"
    document["programs"][0].update(success_event="click", brand={"primary_color": "red", "logo": 1})
    problems = problems_of(document)
    assert "program 'shop'.success_event: 'click' is not one of signup, purchase" in problems
    assert "program 'shop'.brand.primary_color: 'red' must be a color like #3f51b5" in problems
    assert "program 'shop'.brand.logo: must be text, not the number 1" in problems


def test_missing_rewards_say_what_to_write() -> None:
    document = config_document()
    del document["programs"][0]["rewards"]
    problems = problems_of(document)
    assert any(
        p.startswith("program 'shop'.rewards.referrer: is required: say what this side gets")
        for p in problems
    )
