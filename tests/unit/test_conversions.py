"""Conversion input: each bad value gets a message that says what to send instead."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.context import Context
from chalicelib.domain.conversions.flow import attribute_conversion
from chalicelib.domain.conversions.input import parse_conversion
from chalicelib.model.errors import InvalidInputError, UnknownCodeError
from chalicelib.model.records import Referrer
from tests.common import NOW


def parse(ctx: Context, program: str = "shop", **data: Any) -> Any:
    return parse_conversion(ctx, ctx.catalogue.get(program), data)


def test_purchase_is_parsed_with_program_currency_and_rounding(memory_ctx: Context) -> None:
    request = parse(memory_ctx, event="purchase", order_id="A-1", amount="49.899", ref="ABC2345")
    assert (request.event, request.order_id, request.currency, request.code) == (
        "purchase",
        "A-1",
        "EUR",
        "abc2345",
    )
    assert request.amount == Decimal("49.90")
    assert parse(
        memory_ctx, event="purchase", order_id=7, amount=1000, currency="jpy", ref="abc2345"
    ).amount == Decimal(1000)
    assert parse(memory_ctx, event="signup", ref="abc2345").order_id is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "'event' must be"),
        ({"event": "refund", "ref": "abc2345"}, "'event' must be"),
        (
            {"event": "purchase", "amount": 5, "ref": "abc2345"},
            "'order_id' is required for purchases",
        ),
        ({"event": "purchase", "order_id": "1", "ref": "abc2345"}, "'amount' is required"),
        (
            {"event": "purchase", "order_id": "1", "amount": -1, "ref": "abc2345"},
            "cannot be negative",
        ),
        (
            {"event": "purchase", "order_id": "1", "amount": "ten", "ref": "abc2345"},
            "must be a number",
        ),
        ({"event": "purchase", "order_id": "1", "amount": "NaN", "ref": "abc2345"}, "finite"),
        ({"event": "purchase", "order_id": "1", "amount": "1e30", "ref": "abc2345"}, "larger than"),
        (
            {"event": "purchase", "order_id": "1", "amount": True, "ref": "abc2345"},
            "must be a number",
        ),
        (
            {"event": "purchase", "order_id": "1", "amount": [1], "ref": "abc2345"},
            "must be a number",
        ),
        (
            {
                "event": "purchase",
                "order_id": "1",
                "amount": 5,
                "currency": "XXX",
                "ref": "abc2345",
            },
            "ISO 4217",
        ),
        (
            {"event": "purchase", "order_id": "1", "amount": 5, "currency": 5, "ref": "abc2345"},
            "ISO 4217",
        ),
        (
            {"event": "purchase", "order_id": "x" * 129, "amount": 5, "ref": "abc2345"},
            "1-128 printable",
        ),
        (
            {"event": "purchase", "order_id": "a b", "amount": 5, "ref": "abc2345"},
            "1-128 printable",
        ),
        (
            {"event": "purchase", "order_id": {"a": 1}, "amount": 5, "ref": "abc2345"},
            "must be text",
        ),
        ({"event": "purchase", "order_id": -3, "amount": 5, "ref": "abc2345"}, "must be text"),
        ({"event": "signup", "amount": 5, "ref": "abc2345"}, "A signup carries no 'amount'"),
        ({"event": "signup"}, "Send 'ref'"),
        ({"event": "signup", "ref": "a/b"}, "'ref' is not a referral code"),
        ({"event": "signup", "ref": 12345}, "'ref' is not a referral code"),
        ({"event": "signup", "click_id": "forged.click.id.x"}, "not a click id issued"),
    ],
)
def test_bad_conversions_are_refused_clearly(
    memory_ctx: Context, data: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse(memory_ctx, **data)


def test_click_ids_name_the_code_and_expire_with_the_window(memory_ctx: Context) -> None:
    click_id = memory_ctx.signer.click_id("abc2345", NOW - 6 * 86400)
    assert parse(memory_ctx, "acme", event="signup", click_id=click_id).code == "abc2345"
    with pytest.raises(InvalidInputError, match="different referral codes"):
        parse(memory_ctx, "acme", event="signup", click_id=click_id, ref="xyz2345")
    old = memory_ctx.signer.click_id("abc2345", NOW - 8 * 86400)
    with pytest.raises(
        InvalidInputError, match="older than the program's 7-day attribution window"
    ):
        parse(memory_ctx, "acme", event="signup", click_id=old)


def test_signups_without_order_id_are_keyed_by_click_or_visitor(memory_ctx: Context) -> None:
    memory_ctx.store.referrers.create_referrer(Referrer("abc2345", "shop", "k", "j@e.co", "J", NOW))
    shop = memory_ctx.catalogue.get("shop")
    request = parse(memory_ctx, event="signup", ref="abc2345")
    first, created = attribute_conversion(memory_ctx, shop, request, visitor="v1")
    again, created_again = attribute_conversion(memory_ctx, shop, request, visitor="v1")
    other, created_other = attribute_conversion(memory_ctx, shop, request, visitor="v2")
    assert (created, created_again, created_other) == (True, False, True)
    assert first.order_id == again.order_id != other.order_id
    with pytest.raises(
        InvalidInputError, match="'order_id' is required for a signup without 'click_id'"
    ):
        attribute_conversion(memory_ctx, shop, request, visitor="")


def test_unknown_code_is_refused(memory_ctx: Context) -> None:
    shop = memory_ctx.catalogue.get("shop")
    with pytest.raises(UnknownCodeError, match="does not exist in program 'shop'"):
        attribute_conversion(
            memory_ctx, shop, parse(memory_ctx, event="signup", order_id="u1", ref="zzz2345")
        )
