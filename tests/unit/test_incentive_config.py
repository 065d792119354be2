"""The rewards, tiers, limits, attribution, webhooks and emails sections of referbee.yaml."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.model.errors import ConfigError
from tests.common import config_document

SECRET = "whsec_0123456789abcdef"


def with_shop(**changes: Any) -> dict[str, Any]:
    document = config_document()
    shop = document["programs"][0]
    for key, value in changes.items():
        if key in ("hold_days", "tiers", "limits"):
            shop["rewards"][key] = value
        else:
            shop[key] = value
    return document


def problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_programs(document)
    return caught.value.problems


def test_the_original_reward_shape_is_one_rule_per_side_on_the_success_event() -> None:
    shop = parse_programs(config_document()).get("shop")
    rules = {rule.side: rule for rule in shop.incentives.rules}
    assert rules["referrer"].event == rules["friend"].event == "purchase"
    assert rules["referrer"].reward == shop.referrer_reward
    assert shop.incentives.hold_days == 0 and shop.incentives.tiers == ()
    assert shop.incentives.attribution_model == "last_click"
    assert shop.public()["tiers"] == []


def test_full_incentives_load_and_tiers_are_public() -> None:
    document = with_shop(
        hold_days=14,
        tiers=[
            {
                "name": "Gold",
                "at": 10,
                "badge": "gold",
                "reward": {"text": "500 pts", "kind": "points", "points": 500},
            },
            {
                "name": "Silver",
                "at": 3,
                "reward": {"text": "EUR 20", "kind": "credit", "amount": 20},
            },
        ],
        limits={"per_referrer": 50, "per_month": 5},
        attribution_model="time_decay",
        attribution_half_life_days=3.5,
        webhooks=[
            {
                "url": "https://hooks.example.com/referbee",
                "secret": SECRET,
                "events": ["reward.issued"],
            }
        ],
        emails={
            "from": "Shop <rewards@shop.example.com>",
            "reward_earned": {"subject": "Hi {name}"},
        },
    )
    document["programs"][0]["rewards"]["friend"].update(
        event="purchase", min_amount=25, first_purchase_only=True
    )
    shop = parse_programs(document).get("shop")
    incentives = shop.incentives
    assert incentives.hold_days == 14
    assert [tier.name for tier in incentives.tiers] == ["Silver", "Gold"]  # sorted by `at`
    assert incentives.tier_at(3) is not None and incentives.tier_at(4) is None
    assert incentives.limits.per_referrer == 50 and incentives.limits.per_month == 5
    assert incentives.half_life_days == Decimal("3.5")
    friend = incentives.rule("friend")
    assert friend is not None and friend.min_amount == 25 and friend.first_purchase_only
    assert incentives.webhooks_for("reward.issued") and not incentives.webhooks_for("reward.voided")
    assert incentives.emails is not None and incentives.emails.reward_earned.subject == "Hi {name}"
    assert shop.public()["tiers"] == [
        {
            "name": "Silver",
            "at": 3,
            "reward": {"text": "EUR 20", "kind": "credit", "amount": 20.0, "currency": "EUR"},
            "badge": "Silver",
        },
        {
            "name": "Gold",
            "at": 10,
            "reward": {"text": "500 pts", "kind": "points", "points": 500},
            "badge": "gold",
        },
    ]


def test_bad_incentives_are_each_reported_with_program_and_field() -> None:
    document = with_shop(
        hold_days=-1,
        tiers=[
            {"name": "Silver", "at": 3, "reward": {"text": "x", "kind": "credit", "amount": 5}},
            {"name": "Bronze", "at": 3, "reward": {"text": "y", "kind": "credit", "amount": -5}},
            {"name": "silver", "at": 4, "reward": {"text": "z", "kind": "percent", "percent": 5}},
        ],
        limits={"per_month": 0, "per_year": 3},
        attribution_model="u_shaped",
        webhooks=[
            {"url": "http://hooks.example.com/referbee", "secret": SECRET},
            {"url": "https://hooks.example.com/x", "secret": "short", "events": ["reward.paid"]},
        ],
        emails={"from": "nobody", "tier_reached": {"body": "Hi {first_name}"}},
    )
    rewards = document["programs"][0]["rewards"]
    rewards["referrer"].update(event="refund")
    rewards["friend"].update(
        event="signup", min_amount=-3, first_purchase_only=True, pool="Bad Pool"
    )
    found = problems(document)
    expected = [
        "program 'shop'.rewards.hold_days: must be between 0 and 365, not -1",
        "program 'shop'.rewards.referrer.event: 'refund' is not one of signup, purchase",
        "program 'shop'.rewards.friend.min_amount: must be between 0 and 1000000000, not -3",
        "program 'shop'.rewards.friend.first_purchase_only: only applies to rewards for a purchase",
        "program 'shop'.rewards.friend.pool: 'Bad Pool' must be 1-32 lower-case letters, "
        "digits, - or _",
        "program 'shop'.rewards.tiers[1].at: 3 overlaps tier 'Silver' (also at 3)",
        "program 'shop'.rewards.tiers[1].reward.amount: must be between 0 and 1000000, not -5",
        "program 'shop'.rewards.tiers[2].name: 'silver' is used by two tiers",
        "program 'shop'.rewards.tiers[2].reward.kind: a tier's reward is credit, coupon or points",
        "program 'shop'.rewards.limits.per_month: must be between 1 and 1000000, not 0",
        "program 'shop'.attribution_model: 'u_shaped' is not one of last_click, first_click, "
        "linear, time_decay",
        "program 'shop'.webhooks[0].url: 'http://hooks.example.com/referbee' must start with "
        "https:// (http:// is allowed only for localhost)",
        "program 'shop'.webhooks[1].secret: must be at least 16 characters long",
        "program 'shop'.emails.from: 'nobody' is not an address like 'Shop <hi@shop.com>'",
    ]
    for line in expected:
        assert line in found, f"{line}\n--- got:\n" + "\n".join(found)
    assert any(p.startswith("program 'shop'.rewards.limits.per_year: unknown field") for p in found)
    assert any("webhooks[1].events: 'reward.paid' is not one of" in p for p in found)
    assert any("emails.tier_reached.body: unknown merge field {first_name}" in p for p in found)


def test_webhooks_may_use_http_on_localhost_only() -> None:
    local = with_shop(webhooks=[{"url": "http://127.0.0.1:9000/hook", "secret": SECRET}])
    assert parse_programs(local).get("shop").incentives.webhooks[0].url.startswith("http://")
    for url in ("http://10.0.0.5/hook", "ftp://hooks.example.com/", "https://user:pw@h.example/"):
        assert any(
            "webhooks[0].url" in p
            for p in problems(with_shop(webhooks=[{"url": url, "secret": SECRET}]))
        )


def test_pools_only_for_coupons_and_rule_fields_not_on_tiers() -> None:
    document = with_shop(
        tiers=[
            {
                "name": "Silver",
                "at": 2,
                "reward": {"text": "x", "kind": "credit", "amount": 1, "event": "signup"},
            }
        ]
    )
    document["programs"][0]["rewards"]["referrer"]["pool"] = "vip"
    found = problems(document)
    assert "program 'shop'.rewards.referrer.pool: only applies to rewards of kind coupon" in found
    assert (
        "program 'shop'.rewards.tiers[0].reward.event: does not apply to a tier's reward" in found
    )


def test_a_reward_speaks_the_readers_language_when_the_program_gives_its_words() -> None:
    document = config_document()
    friend = document["programs"][0]["rewards"]["friend"]
    friend["texts"] = {"fr": "15 % de remise", "pt-BR": "15% de desconto", "DE": "15 % Rabatt"}
    shop = parse_programs(document).get("shop")
    reward = shop.friend_reward
    assert reward.text_in("fr") == reward.text_in("fr-CA") == "15 % de remise"
    assert reward.text_in("pt-BR") == "15% de desconto"
    assert reward.text_in("de-AT") == "15 % Rabatt"  # tags are read in any case
    assert reward.text_in("pt") == reward.text_in("nl") == reward.text  # no words: the default
    assert shop.public()["rewards"]["friend"]["texts"] == {
        "fr": "15 % de remise",
        "pt-br": "15% de desconto",
        "de": "15 % Rabatt",
    }
    assert "texts" not in shop.public()["rewards"]["referrer"]
    assert shop.public("fr-CA")["rewards"]["friend"]["text"] == "15 % de remise"
    assert shop.public()["rewards"]["friend"]["text"] == reward.text

    friend["texts"] = {"french": "remise", "fr": "x" * 121}
    assert problems(document) == [
        "program 'shop'.rewards.friend.texts.french: is not a language tag like fr, de or pt-BR",
        "program 'shop'.rewards.friend.texts.fr: must be at most 120 characters",
    ]
