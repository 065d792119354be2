"""The click path, on the in-memory store and on a failing one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.domain.context import Context
from chalicelib.domain.referrals.clicks import KnownCodes, add_query, channel_of, record_click
from chalicelib.domain.trust.bots import is_bot
from chalicelib.model.errors import UnavailableError
from chalicelib.model.records import Referrer
from tests.common import BROWSER, NOW, PHONE
from tests.rollups import settle


def make_referrer(ctx: Context, code: str = "abc2345", program: str = "shop") -> None:
    ctx.store.referrers.create_referrer(
        Referrer(code, program, f"key-{code}", "j@e.co", "Jane", NOW)
    )


def test_add_query_keeps_existing_params_and_fragment() -> None:
    url = add_query(
        "https://shop.example.com/welcome?utm_source=referbee&ref=old#top",
        {"ref": "abc", "click": "c"},
    )
    assert url == "https://shop.example.com/welcome?utm_source=referbee&ref=abc&click=c#top"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, "direct"),
        ("", "direct"),
        ("WhatsApp", "whatsapp"),
        ("x", "x"),
        ("evil<script>", "other"),
        ("a" * 50, "other"),
    ],
)
def test_channel_of(raw: str | None, expected: str) -> None:
    assert channel_of(raw) == expected


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        (BROWSER, False),
        (PHONE, False),
        ("", True),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", True),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("WhatsApp/2.23.20.0", True),
        ("Twitterbot/1.0", True),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("TelegramBot (like TwitterBot)", True),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", True),
    ],
)
def test_bots_and_link_previews_are_recognized(agent: str, bot: bool) -> None:
    assert is_bot(agent) is bot


def test_click_redirects_to_the_configured_landing_with_ref_and_click_id(
    memory_ctx: Context,
) -> None:
    make_referrer(memory_ctx)
    redirect = record_click(
        memory_ctx, KnownCodes(), "ABC2345", ip="1.2.3.4", user_agent=BROWSER, counted=True
    )
    assert redirect is not None and redirect.counted and not redirect.degraded
    parts = urlsplit(redirect.location)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https",
        "shop.example.com",
        "/welcome",
        "top",
    )
    query = parse_qs(parts.query)
    assert query["ref"] == ["abc2345"] and query["utm_source"] == ["referbee"]
    click = memory_ctx.signer.read_click_id(query["click"][0])
    assert click is not None and click.code == "abc2345"


def test_named_landing_pages_and_unknown_names(memory_ctx: Context) -> None:
    make_referrer(memory_ctx)
    known = KnownCodes()
    sale = record_click(
        memory_ctx, known, "abc2345", ip="1", user_agent=BROWSER, counted=True, page="sale"
    )
    assert sale is not None and sale.location.startswith(
        "https://www.shop.example.com/sale?ref=abc2345&click="
    )
    other = record_click(
        memory_ctx,
        known,
        "abc2345",
        ip="1",
        user_agent=BROWSER,
        counted=True,
        page="//evil.example/",
    )
    assert other is not None and other.location.startswith("https://shop.example.com/welcome?")


def test_unknown_and_malformed_codes_are_not_redirected(memory_ctx: Context) -> None:
    for raw in ("zzz2345", "a/b", "..", "x" * 100, "%2F%2Fevil.com"):
        assert (
            record_click(memory_ctx, KnownCodes(), raw, ip="1", user_agent=BROWSER, counted=True)
            is None
        )


class FailingStore:
    """Every request fails, as when DynamoDB throttles or is unreachable."""

    def __getattr__(self, capability: str) -> Any:
        return _FailingCapability()


class _FailingCapability:
    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise UnavailableError("The database is unavailable (ThrottlingException); try again.")

        return fail


def test_database_failure_still_redirects_to_the_codes_own_program(memory_ctx: Context) -> None:
    make_referrer(memory_ctx, "acm2345", "acme")
    known = KnownCodes()
    record_click(memory_ctx, known, "acm2345", ip="1", user_agent=BROWSER, counted=True)
    failing = replace(memory_ctx, store=FailingStore())
    redirect = record_click(failing, known, "acm2345", ip="1", user_agent=BROWSER, counted=True)
    assert redirect is not None and redirect.degraded and not redirect.counted
    assert redirect.location.startswith("https://acme.example/?ref=acm2345&click=")
    # A code this container never saw goes to the first program's landing page, ref intact.
    unseen = record_click(
        failing, KnownCodes(), "new2345", ip="1", user_agent=BROWSER, counted=False
    )
    assert unseen is not None and unseen.location.startswith("https://shop.example.com/welcome?")
    assert "ref=new2345" in unseen.location


def test_known_codes_is_bounded() -> None:
    known = KnownCodes(size=2)
    for code in ("a", "b", "c"):
        known.remember(code, "shop")
    assert known.program_of("a") is None and known.program_of("c") == "shop"


def test_a_click_counts_its_channel_and_configured_landing_page_in_one_write(
    memory_ctx: Context,
) -> None:
    make_referrer(memory_ctx)
    known = KnownCodes()
    store = memory_ctx.store
    before = store.requests
    for page, channel in (("sale", "email"), ("made-up", "x"), (None, "carrier-pigeon")):
        redirect = record_click(
            memory_ctx,
            known,
            "abc2345",
            ip=f"10.0.0.{len(channel)}",
            user_agent=BROWSER,
            counted=True,
            channel=channel,
            page=page,
        )
        assert redirect is not None
    # One read to learn the code's program (once per container), then one write per click.
    assert store.requests - before == 1 + 3
    again = store.requests
    assert record_click(memory_ctx, known, "abc2345", ip="9", user_agent=BROWSER, counted=True)
    assert store.requests - again == 1
    assert settle(memory_ctx) == 4  # the rollups count what the visit writes carried
    _, months = store.referrers.read_code("abc2345")
    clicks = next(month for month in months if month.kind == "clicks")
    assert clicks.pages() == {"sale": 1}  # a name no program configures is not counted
    assert clicks.channels() == {"email": 1, "x": 1, "other": 1, "direct": 1}
    query = parse_qs(urlsplit(redirect.location).query)
    last = memory_ctx.signer.read_click_id(query["click"][0])
    assert last is not None and (last.channel, last.page) == ("other", "")
