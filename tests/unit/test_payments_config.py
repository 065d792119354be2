"""The `payments:`, `discount_codes:` and `rewards.recurring` sections of referbee.yaml, and the
personal discount codes they make."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.model.payments import DiscountCodes
from tests.common import config_document, config_problems

STRIPE_SECRET = "whsec_0123456789abcdef0123"


def shop_with(**changes: Any) -> dict[str, Any]:
    document = config_document()
    shop = document["programs"][0]
    for key, value in changes.items():
        if key == "recurring":
            shop["rewards"][key] = value
        else:
            shop[key] = value
    return document


def test_without_the_sections_nothing_is_connected_and_codes_are_the_referral_codes() -> None:
    shop = parse_programs(config_document()).get("shop")
    assert shop.payments.stripe_secret is None and shop.payments.shopify_secret is None
    assert shop.payments.organic == "record"
    assert shop.discount_codes.code_for("abc2345") == "ABC2345"
    assert shop.incentives.recurring is None


def test_webhook_secrets_organic_policy_pattern_and_recurring_load() -> None:
    document = shop_with(
        payments={
            "stripe": {"webhook_secret": STRIPE_SECRET},
            "shopify": {"webhook_secret": "shpss_0123456789abcdef"},
            "organic": "ignore",
        },
        discount_codes={"pattern": "friend-{code}"},
        recurring={"text": "20% of renewals", "percent": 20, "months": 12, "limit": 24},
    )
    shop = parse_programs(document).get("shop")
    assert shop.payments.stripe_secret == STRIPE_SECRET
    assert shop.payments.shopify_secret == "shpss_0123456789abcdef"
    assert shop.payments.organic == "ignore"
    assert shop.discount_codes.code_for("abc2345") == "FRIEND-ABC2345"
    recurring = shop.incentives.recurring
    assert recurring is not None
    assert (recurring.percent, recurring.months, recurring.limit) == (Decimal(20), 12, 24)
    assert "webhook_secret" not in str(shop.public())


def test_bad_payment_settings_are_named_by_program_and_field() -> None:
    document = shop_with(
        payments={"stripe": {"webhook_secret": "short"}, "organic": "drop", "paypal": {}},
        discount_codes={"pattern": "SAVE 10%"},
        recurring={"percent": 120, "months": 0},
    )
    assert config_problems(document) == [
        "program 'shop'.rewards.recurring.months: must be between 1 and 600, not 0",
        "program 'shop'.rewards.recurring.text: is required",
        "program 'shop'.rewards.recurring.percent: must be between 0 and 100, not 120",
        "program 'shop'.payments.paypal: unknown field",
        "program 'shop'.payments.organic: 'drop' is not one of record, ignore",
        "program 'shop'.payments.stripe.webhook_secret: must be at least 16 characters long",
        "program 'shop'.discount_codes.pattern: 'SAVE 10%' must hold {code} once, with "
        "letters, digits, - or _ around it (e.g. FRIEND-{code})",
    ]


@pytest.mark.parametrize(
    ("pattern", "given", "code"),
    [
        ("{code}", "ABC2345", "abc2345"),
        ("{code}", " abc2345 ", "abc2345"),
        ("FRIEND-{code}", "friend-abc2345", "abc2345"),
        ("{code}-15", "ABC2345-15", "abc2345"),
        ("FRIEND-{code}", "ABC2345", ""),
        ("FRIEND-{code}", "FRIEND-", ""),
        ("{code}-15", "SUMMER", ""),
    ],
)
def test_a_discount_code_names_the_referral_code_it_was_made_from(
    pattern: str, given: str, code: str
) -> None:
    assert DiscountCodes(pattern).referral_code_in(given) == code
