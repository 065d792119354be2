"""The four attribution models, against tables computed by hand (docs/attribution.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.conversions.attribution import Model, assign_credit, split_amount
from chalicelib.model.ledger import Credit, Touch
from tests.common import NOW

DAY = 86400


def touches(*spec: tuple[str, float]) -> list[Touch]:
    """('a', 10) is a click on code a ten days before the conversion."""
    return [Touch(code, NOW - days * DAY) for code, days in spec]


def shares(model: Model, spec: list[tuple[str, float]]) -> list[tuple[str, str]]:
    return [(c.code, str(c.share)) for c in assign_credit(model, touches(*spec), NOW)]


LAST, FIRST = Model("last_click"), Model("first_click")
LINEAR, DECAY = Model("linear"), Model("time_decay", half_life_days=Decimal(7))


@pytest.mark.parametrize(
    ("model", "spec", "expected"),
    [
        # last_click: the latest touchpoint inside the window takes everything.
        (LAST, [("a", 10), ("b", 2)], [("b", "1")]),
        (LAST, [("a", 40), ("b", 35)], []),  # both outside the 30-day window
        (LAST, [("a", 40), ("b", 1)], [("b", "1")]),
        (LAST, [("b", 1), ("a", 1)], [("a", "1")]),  # same second: alphabetical
        # first_click: the earliest touchpoint inside the window.
        (FIRST, [("a", 10), ("b", 2)], [("a", "1")]),
        (FIRST, [("a", 31), ("b", 20), ("c", 1)], [("b", "1")]),  # a is outside the window
        (FIRST, [("c", 5), ("b", 5)], [("b", "1")]),
        # linear: each touchpoint weighs 1.
        (LINEAR, [("a", 10), ("b", 5), ("a", 2)], [("a", "0.6667"), ("b", "0.3333")]),
        (LINEAR, [("a", 3), ("b", 1)], [("b", "0.5"), ("a", "0.5")]),  # tie: b is most recent
        (LINEAR, [("b", 2), ("a", 2)], [("a", "0.5"), ("b", "0.5")]),  # and then alphabetical
        (
            LINEAR,
            [("a", 40), ("b", 1), ("c", 2), ("c", 3)],
            [("c", "0.6667"), ("b", "0.3333")],
        ),
        (
            LINEAR,
            [("a", 1), ("b", 2), ("c", 3)],
            [("a", "0.3334"), ("b", "0.3333"), ("c", "0.3333")],  # the remainder to a
        ),
        # time_decay, half-life 7 days: weight = 2 ** (-age / 7).
        (DECAY, [("a", 14), ("b", 0)], [("b", "0.8"), ("a", "0.2")]),  # 1 and 0.25
        (DECAY, [("a", 7), ("b", 7)], [("a", "0.5"), ("b", "0.5")]),
        (
            DECAY,
            [("a", 7), ("b", 14), ("b", 21)],  # 0.5 against 0.25 + 0.125
            [("a", "0.5714"), ("b", "0.4286")],
        ),
        (DECAY, [("a", 31), ("b", 7)], [("b", "1")]),
        (
            Model("time_decay", half_life_days=Decimal(1)),
            [("a", 1), ("b", 2)],  # 0.5 and 0.25
            [("a", "0.6667"), ("b", "0.3333")],
        ),
    ],
)
def test_models_by_hand(model: Model, spec: list[tuple[str, float]], expected: list[Any]) -> None:
    got = shares(model, spec)
    assert [(code, Decimal(share)) for code, share in got] == [
        (code, Decimal(share)) for code, share in expected
    ]
    if got:
        assert sum(Decimal(share) for _, share in got) == 1


def test_window_edges_and_clock_skew() -> None:
    window = Model("linear", window_days=7)
    edge = [Touch("a", NOW - 7 * DAY), Touch("b", NOW - 7 * DAY - 1)]
    assert [c.code for c in assign_credit(window, edge, NOW)] == ["a"]
    ahead = [Touch("a", NOW + 30), Touch("b", NOW + 120)]  # another server's clock
    assert [c.code for c in assign_credit(window, ahead, NOW)] == ["a"]


def test_at_most_ten_codes_are_credited_the_most_recent() -> None:
    many = [Touch(f"code{i:02d}", NOW - i * 60) for i in range(12)]
    credited = assign_credit(LINEAR, many, NOW)
    assert sorted(c.code for c in credited) == [f"code{i:02d}" for i in range(10)]
    assert sum(c.share for c in credited) == 1


@pytest.mark.parametrize(
    ("amount", "digits", "split", "expected"),
    [
        ("100.00", 2, ["0.6667", "0.3333"], ["66.67", "33.33"]),
        ("10.00", 2, ["0.3334", "0.3333", "0.3333"], ["3.34", "3.33", "3.33"]),
        ("1000", 0, ["0.6667", "0.3333"], ["667", "333"]),
        ("0.01", 2, ["0.5", "0.5"], ["0.01", "0.00"]),
    ],
)
def test_revenue_splits_add_up_exactly(
    amount: str, digits: int, split: list[str], expected: list[str]
) -> None:
    credits = [Credit(f"c{i}", Decimal(share)) for i, share in enumerate(split)]
    parts = split_amount(Decimal(amount), credits, digits)
    assert parts == [Decimal(part) for part in expected]
    assert sum(parts) == Decimal(amount)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (LAST, [("ben2345", "1", "120.00")]),
        (FIRST, [("ana2345", "1", "120.00")]),
        (LINEAR, [("ben2345", "0.5", "60.00"), ("ana2345", "0.5", "60.00")]),
        (DECAY, [("ben2345", "0.5912", "70.95"), ("ana2345", "0.4088", "49.05")]),
    ],
)
def test_the_example_in_docs_attribution(model: Model, expected: list[Any]) -> None:
    visits = touches(
        ("cleo234", 40), ("ana2345", 12), ("ben2345", 5), ("ana2345", 3), ("ben2345", 1)
    )
    credits = assign_credit(model, visits, NOW)
    revenue = split_amount(Decimal("120.00"), credits, 2)
    got = [(c.code, c.share, part) for c, part in zip(credits, revenue, strict=True)]
    assert got == [(code, Decimal(share), Decimal(part)) for code, share, part in expected]
