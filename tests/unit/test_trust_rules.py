"""Canonical emails, fraud and rate-limit config, origins and conversion signatures, without
IO."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.trust.lookalikes import canonical_email
from chalicelib.domain.trust.origins import origin_allowed
from chalicelib.domain.trust.signed_conversions import (
    amount_text,
    check_signature,
    conversion_signature,
)
from chalicelib.model.errors import ConfigError, UnauthorizedError
from chalicelib.model.fraud import Velocity
from chalicelib.model.program import Catalogue
from tests.common import config_document


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("jane@example.com", "jane@example.com"),
        ("Jane+tag@Example.COM", "jane@example.com"),
        ("j.a.n.e+x@gmail.com", "jane@gmail.com"),
        ("jane@googlemail.com", "jane@gmail.com"),
        ("jane.doe@outlook.com", "jane.doe@outlook.com"),  # dots matter outside Gmail
        ("jane-shop@yahoo.com", "jane@yahoo.com"),
        ("j\u0430ne@example.com", "jane@example.com"),  # Cyrillic a
        ("\u0458ane@example.com", "jane@example.com"),  # Cyrillic je
        ("\uff4a\uff41\uff4e\uff45@example.com", "jane@example.com"),  # full width
        ("jane@ex\u0430mple.com", "jane@example.com"),
        ("jane@xn--exmple-4nf.com", "jane@example.com"),  # the same look-alike as IDNA
        ("ja\u0301ne@example.com", "j\u00e1ne@example.com"),  # NFKC composes the accent
        ("jOhn0@example.com", "johno@example.com"),  # ASCII look-alikes: 0 -> o
        ("modern@example.com", "modem@example.com"),  # rn -> m
        ("no-at-sign", ""),
        ("+only@example.com", ""),
    ],
)
def test_canonical_email(raw: str, canonical: str) -> None:
    assert canonical_email(raw) == canonical


def with_shop(**fields: Any) -> dict[str, Any]:
    document = config_document()
    document["programs"][0].update(fields)
    return document


def test_fraud_defaults_and_switches() -> None:
    shop = parse_programs(config_document()).get("shop")
    assert shop.fraud.self_referral and shop.fraud.bots
    assert shop.fraud.disposable_email is not None
    assert shop.fraud.duplicate_identity is None
    # Velocity is on by default: a flood for one code or from one client goes to review.
    assert shop.fraud.velocity == Velocity(per_referrer_per_hour=20, per_visitor_per_day=5)
    tuned = parse_programs(
        with_shop(
            fraud={
                "self_referral": False,
                "disposable_email": False,
                "duplicate_identity": True,
                "velocity": {"per_referrer_per_hour": 3},
            }
        )
    ).get("shop")
    assert not tuned.fraud.self_referral and tuned.fraud.disposable_email is None
    assert tuned.fraud.duplicate_identity is not None
    assert tuned.fraud.duplicate_identity.max_per_identity == 1
    assert tuned.fraud.velocity is not None
    assert tuned.fraud.velocity.per_referrer_per_hour == 3


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"fraud": {"velocity": {"per_hour": 3}}}, "program 'shop'.fraud.velocity.per_hour"),
        ({"fraud": {"bots": "yes"}}, "program 'shop'.fraud.bots"),
        ({"fraud": {"signed_conversions": True}}, "needs identity_secret"),
        ({"fraud": {"disposable_email": {"block": ["not a domain"]}}}, "block[0]"),
        ({"fraud": {"selfreferral": True}}, "did you mean 'self_referral'"),
        ({"rate_limits": {"stats": 0}}, "program 'shop'.rate_limits.stats"),
        ({"origins": ["shop.example.com"]}, "program 'shop'.origins[0]"),
        ({"origins": "https://a.example"}, "program 'shop'.origins"),
    ],
)
def test_fraud_config_problems_name_the_field(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_programs(with_shop(**fields))
    assert any(problem in line for line in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://shop.example.com", True),
        ("https://www.shop.example.com", True),
        ("https://partner.example", True),
        ("https://refer.example.net", True),
        ("http://shop.example.com", False),
        ("https://shop.example.com.evil.example", False),
        ("https://evil.example", False),
        ("null", False),
        ("", False),
        ("https://shop.example.com/path", False),
    ],
)
def test_origins(origin: str, allowed: bool) -> None:
    shop = parse_programs(with_shop(origins=["https://partner.example"])).get("shop")
    assert origin_allowed(shop, origin, "https://refer.example.net") is allowed


def test_local_origins_may_use_any_port() -> None:
    document = config_document()
    document["programs"][0]["allowed_hosts"].append("127.0.0.1")
    shop = parse_programs(document).get("shop")
    assert origin_allowed(shop, "http://127.0.0.1:8001", "")
    assert not origin_allowed(shop, "http://localhost:8001", "")


def test_conversion_signatures() -> None:
    acme = parse_programs(with_acme_signed()).get("acme")
    secret = "acme-identity-secret-123"
    good = conversion_signature(secret, "purchase", "1001", "49.90")
    check_signature(acme, "purchase", "1001", amount_text("49.9", "EUR"), good)
    check_signature(acme, "purchase", "1001", "49.90", good.upper())
    for event, order, amount, signature in (
        ("purchase", "1001", "49.91", good),
        ("purchase", "1002", "49.90", good),
        ("signup", "1001", "49.90", good),
        ("purchase", "1001", "49.90", good[:-1]),
        ("purchase", "1001", "49.90", ""),
        ("purchase", None, "49.90", good),
    ):
        with pytest.raises(UnauthorizedError):
            check_signature(acme, event, order, amount, signature)
    assert amount_text(0, "JPY") == "0" and amount_text("5", "EUR") == "5.00"


def with_acme_signed() -> dict[str, Any]:
    document = config_document()
    document["programs"][1]["fraud"] = {"signed_conversions": True}
    return document


def test_the_documented_signature_snippet_matches_the_check() -> None:
    import re
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "fraud.md").read_text()
    snippet = next(
        block
        for block in re.findall(r"```python\n(.*?)```", page, re.S)
        if "def conversion" in block
    )
    scope: dict[str, Any] = {"secret": "shop-identity-secret-0123"}
    exec(snippet, scope)
    expected = conversion_signature("shop-identity-secret-0123", "purchase", "1001", "49.90")
    assert scope["signature"] == expected


def test_the_burst_limiter_counts_each_visitor_per_minute_in_the_process(
    catalogue: Catalogue,
) -> None:
    from chalicelib.domain.trust.ratelimits import BurstLimiter
    from chalicelib.model.clock import FixedClock
    from chalicelib.model.errors import RateLimitedError

    program = catalogue.default
    limit = program.rate_limits.limit("stats")
    clock = FixedClock(1_800_000_000.0)  # the start of a minute
    limiter = BurstLimiter(size=2)
    for _ in range(limit):
        limiter.check(clock, program, "stats", "v1")
    with pytest.raises(RateLimitedError) as refused:
        limiter.check(clock, program, "stats", "v1")
    assert refused.value.retry_after == 60
    limiter.check(clock, program, "stats", "v2")  # another visitor has their own window
    clock.advance(60)
    limiter.check(clock, program, "stats", "v1")  # a new minute starts afresh
    # Bounded: a third visitor pushes out the one seen least recently, whose next request
    # starts a window afresh rather than growing the process's memory.
    clock.at -= 60
    limiter = BurstLimiter(size=2)
    for _ in range(limit):
        limiter.check(clock, program, "stats", "v1")
    limiter.check(clock, program, "stats", "v2")
    limiter.check(clock, program, "stats", "v3")
    limiter.check(clock, program, "stats", "v1")
