"""Emails, names and the identity signature."""

from __future__ import annotations

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.referrals.identity import (
    check_identity,
    clean_name,
    identity_signature,
    normalize_email,
)
from chalicelib.model.errors import InvalidInputError, UnauthorizedError
from tests.common import IDENTITY_SECRET, config_document


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane@Example.COM", "jane@example.com"),
        ("  jane.doe+shop@example.co.uk ", "jane.doe+shop@example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("jane@bücher.example", "jane@xn--bcher-kva.example"),
    ],
)
def test_valid_emails_are_normalized(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        42,
        ["a@b.co"],
        "plainaddress",
        "@example.com",
        "jane@",
        "jane@example",
        "jane..doe@example.com",
        ".jane@example.com",
        "jane@-example.com",
        "jane@example..com",
        "ja ne@example.com",
        "jane@exa mple.com",
        "jane@1.2.3.4",
        "jane@exam\nple.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "<script>@example.com",
    ],
)
def test_invalid_emails_get_a_clear_error(raw: object) -> None:
    with pytest.raises(InvalidInputError, match="'email'"):
        normalize_email(raw)


def test_names_are_cleaned_and_bounded() -> None:
    assert clean_name(None) == ""
    assert clean_name("  Jane\u200b Doe\x07 ") == "Jane Doe"
    assert (
        clean_name("<img src=x onerror=alert(1)>") == "<img src=x onerror=alert(1)>"
    )  # escaped on output, kept as typed
    with pytest.raises(InvalidInputError, match="too long"):
        clean_name("x" * 81)
    with pytest.raises(InvalidInputError, match="must be text"):
        clean_name(5)


def test_identity_signature_is_required_when_the_program_has_a_secret() -> None:
    catalogue = parse_programs(config_document())
    acme, shop = catalogue.get("acme"), catalogue.get("shop")
    good = identity_signature(IDENTITY_SECRET, "Jane@Example.com")
    assert good == identity_signature(IDENTITY_SECRET, "jane@example.com")
    check_identity(acme, "jane@example.com", good, is_admin=False)
    check_identity(acme, "jane@example.com", good.upper(), is_admin=False)
    check_identity(acme, "jane@example.com", None, is_admin=True)
    check_identity(shop, "jane@example.com", None, is_admin=False)
    with pytest.raises(UnauthorizedError, match="requires 'signature'"):
        check_identity(acme, "jane@example.com", None, is_admin=False)
    with pytest.raises(UnauthorizedError, match="does not match"):
        check_identity(acme, "john@example.com", good, is_admin=False)
    with pytest.raises(UnauthorizedError):
        check_identity(acme, "jane@example.com", "é" * 64, is_admin=False)


def test_an_address_is_masked_for_display() -> None:
    from chalicelib.domain.referrals.identity import masked_email, normalize_email

    assert masked_email(normalize_email("Jane.Doe@Example.com")) == "j\u2026@example.com"
    assert masked_email(normalize_email("a@b.co")) == "a\u2026@b.co"
    assert masked_email(normalize_email("jane@bücher.de")) == "j\u2026@bücher.de"
