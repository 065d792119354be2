"""Tokens, click ids and hashes derived from the server secret."""

from __future__ import annotations

import pytest

from chalicelib.domain.trust.signing import Signer
from chalicelib.model.codes import ALPHABET, CODE_LENGTH, new_code, normalize_code
from tests.common import NOW, SECRET

signer = Signer(SECRET)


def test_codes_are_short_unambiguous_and_random() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert not set(code) & set("0o1liI")
        assert set(code) <= set(ALPHABET)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AbC2345", "abc2345"),
        (" abc2345 ", "abc2345"),
        ("ab", None),
        ("a/../b", None),
        ("abc%2F", None),
        ("ab c", None),
        ("x" * 40, None),
        ("<script>", None),
        ("abc\r\nx", None),
    ],
)
def test_normalize_code(raw: str, expected: str | None) -> None:
    assert normalize_code(raw) == expected


def test_stats_token_round_trip_and_tampering() -> None:
    token = signer.stats_token("abc2345", 3)
    assert signer.read_stats_token(token) == ("abc2345", 3)
    code, version, mac = token.split(".")
    assert signer.read_stats_token(f"abc2346.{version}.{mac}") is None
    assert signer.read_stats_token(f"{code}.4.{mac}") is None
    assert signer.read_stats_token(f"{code}.{version}.{mac[:-1]}a") is None
    assert signer.read_stats_token(token.upper()) is None
    assert Signer(b"another-secret-0123456789").read_stats_token(token) is None
    assert len(mac) >= 32  # 160 bits: not guessable


@pytest.mark.parametrize(
    "garbage", ["", "...", "a.b.c.d", "abc2345.x.y", "abc2345.1." + "a" * 32, "é.1.x"]
)
def test_garbage_tokens_are_rejected(garbage: str) -> None:
    assert signer.read_stats_token(garbage) is None


def test_click_ids_carry_code_and_time() -> None:
    click_id = signer.click_id("abc2345", NOW)
    click = signer.read_click_id(click_id)
    assert click is not None
    assert (click.code, click.at) == ("abc2345", NOW)
    assert signer.click_id("abc2345", NOW) != click_id  # each click gets its own id
    forged = click_id.replace("abc2345", "xyz2345", 1)
    assert signer.read_click_id(forged) is None
    assert signer.read_click_id("abc2345.zzz.000000.aaaaaaaaaaaaaaaa") is None


def test_visitor_and_email_hashes_are_stable_and_keyed() -> None:
    one = signer.visitor_hash("203.0.113.7", "UA")
    assert one == signer.visitor_hash("203.0.113.7", "UA")
    assert one != signer.visitor_hash("203.0.113.8", "UA")
    assert "203.0.113.7" not in one
    assert Signer(b"another-secret-0123456789").visitor_hash("203.0.113.7", "UA") != one
    assert signer.email_key("shop", "a@b.co") != signer.email_key("acme", "a@b.co")


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        Signer(b"short")


def test_visitor_salts_rotate_by_period() -> None:
    from chalicelib.model.clock import FixedClock

    clock = FixedClock(1_795_000_000.0 - 1_795_000_000.0 % (30 * 86400))
    rotating = Signer(b"test-secret-0123456789", visitor_salt_days=30, now=clock.now)
    first = rotating.visitor_hash("203.0.113.7", "UA")
    clock.advance(30 * 86400 - 1)
    assert rotating.visitor_hash("203.0.113.7", "UA") == first  # the same period
    clock.advance(1)
    assert rotating.visitor_hash("203.0.113.7", "UA") != first  # a new salt
    steady = Signer(b"test-secret-0123456789")
    assert steady.visitor_hash("203.0.113.7", "UA") == steady.visitor_hash("203.0.113.7", "UA")
    assert steady.visitor_hash("203.0.113.7", "UA") != first


def test_click_ids_carry_the_channel_and_landing_page_and_old_ones_still_read() -> None:
    visitor = "v" * 32
    click = signer.read_click_id(signer.click_id("abc2345", NOW, visitor, "whatsapp", "sale"))
    assert click is not None
    assert (click.code, click.visitor, click.channel, click.page) == (
        "abc2345",
        visitor,
        "whatsapp",
        "sale",
    )
    plain = signer.read_click_id(signer.click_id("abc2345", NOW, visitor))
    assert plain is not None and (plain.channel, plain.page) == ("", "")
    forged = signer.click_id("abc2345", NOW, visitor, "email", "").replace(".email.", ".qr.")
    assert signer.read_click_id(forged) is None
    assert signer.read_click_id("abc2345.x.y.é.z") is None


def test_cursors_are_signed() -> None:
    signed = signer.sign_cursor("eyJhIjoxfQ")
    assert signer.read_cursor(signed) == "eyJhIjoxfQ"
    assert signer.read_cursor(signed[:-1] + "x") is None
    assert signer.read_cursor("eyJhIjoxfQ") is None
    assert signer.read_cursor("é.é") is None
