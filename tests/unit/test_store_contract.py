"""One contract, two stores: DynamoStore (on moto) and its in-memory twin behave alike."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.errors import CodeTakenError, ReferrerExistsError, UnknownCodeError
from chalicelib.model.records import (
    CLICKS,
    CONVERSIONS,
    AdminKey,
    ClickCounted,
    Conversion,
    Referrer,
)
from chalicelib.store.memory import MemoryStore
from tests.common import NOW


@pytest.fixture(params=["memory", "dynamo"])
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
    else:
        yield request.getfixturevalue("dynamo_store")


def referrer(code: str = "abc2345", program: str = "shop", email_key: str = "ek1") -> Referrer:
    return Referrer(code, program, email_key, "jane@example.com", "Jane", NOW)


def test_referrers_are_unique_by_email_and_by_code(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    assert store.referrers.find_referrer("shop", "ek1") == referrer()
    assert store.referrers.find_referrer("shop", "ek1", consistent=True) == referrer()
    assert store.referrers.get_referrer("abc2345") == referrer()
    assert store.referrers.find_referrer("acme", "ek1") is None
    with pytest.raises(ReferrerExistsError):
        store.referrers.create_referrer(referrer(code="xyz2345"))
    with pytest.raises(CodeTakenError):
        store.referrers.create_referrer(referrer(email_key="ek2"))
    assert store.referrers.find_referrer("shop", "ek2") is None  # nothing half-written
    assert store.referrers.get_referrer("xyz2345") is None


def test_visits_are_unique_per_window(store: Any) -> None:
    assert store.clicks.claim_visit("v1", "abc2345", NOW, 86400) is True
    assert store.clicks.claim_visit("v1", "abc2345", NOW + 3600, 86400) is False
    assert store.clicks.claim_visit("v2", "abc2345", NOW + 3600, 86400) is True
    assert store.clicks.claim_visit("v1", "xyz2345", NOW + 3600, 86400) is True
    assert store.clicks.claim_visit("v1", "abc2345", NOW + 86401, 86400) is True


def test_clicks_count_by_day_and_channel_and_know_their_program(store: Any) -> None:
    assert (
        store.clicks.count_click("abc2345", NOW, unique=True, channel="direct") is None
    )  # unknown code
    store.referrers.create_referrer(referrer())
    assert store.clicks.count_click("abc2345", NOW, unique=True, channel="direct") == ClickCounted(
        "shop", 1
    )
    assert store.clicks.count_click(
        "abc2345", NOW, unique=False, channel="whatsapp"
    ) == ClickCounted("shop", 2)
    next_month = NOW + 31 * 86400
    assert store.clicks.count_click(
        "abc2345", next_month, unique=True, channel="direct"
    ) == ClickCounted("shop", 1)
    found = store.referrers.read_code("abc2345")
    assert found is not None
    found_referrer, months = found
    assert found_referrer == referrer()
    clicks = sorted((m for m in months if m.kind == CLICKS), key=lambda m: m.month)
    assert [m.month for m in clicks] == ["2026-11", "2026-12"]
    day = clicks[0].days()["2026-11-18"]
    assert (day.clicks, day.unique_clicks) == (2, 1)
    assert clicks[0].channels() == {"direct": 1, "whatsapp": 1}
    assert store.referrers.read_code("nope234") is None


def test_a_hot_codes_clicks_spread_over_shards_and_read_back_as_one(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    assert store.clicks.count_click(
        "abc2345", NOW, unique=True, channel="x", shard=0
    ) == ClickCounted("shop", 1)
    assert store.clicks.count_click(
        "abc2345", NOW, unique=False, channel="x", shard=3
    ) == ClickCounted("shop", 1)
    assert store.clicks.count_click(
        "abc2345", NOW, unique=True, channel="qr", shard=3
    ) == ClickCounted("shop", 2)
    assert store.clicks.count_click("zzz2345", NOW, unique=True, channel="x", shard=3) is None
    _, months = store.referrers.read_code("abc2345")
    clicks = [m for m in months if m.kind == CLICKS]
    assert sorted(m.month for m in clicks) == ["2026-11", "2026-11"]  # two items, one month
    total = sum(m.days()["2026-11-18"].clicks for m in clicks)
    unique = sum(m.days()["2026-11-18"].unique_clicks for m in clicks)
    channels = [m.channels() for m in clicks]
    assert (total, unique) == (3, 2)
    assert sorted(channels, key=len) == [{"x": 1}, {"qr": 1, "x": 1}]


def test_conversions_are_recorded_once_and_counted(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    purchase = Conversion("shop", "purchase", "o-1", "abc2345", NOW, Decimal("19.90"), "EUR")
    assert store.conversions.record_conversion(purchase) == (purchase, True)
    repeat = Conversion("shop", "purchase", "o-1", "abc2345", NOW + 5, Decimal("99"), "EUR")
    assert store.conversions.record_conversion(repeat) == (purchase, False)
    signup = Conversion("shop", "signup", "o-1", "abc2345", NOW)
    assert store.conversions.record_conversion(signup)[1] is True  # another event, another key
    with pytest.raises(UnknownCodeError):
        store.conversions.record_conversion(Conversion("acme", "signup", "u-1", "abc2345", NOW))
    with pytest.raises(UnknownCodeError):
        store.conversions.record_conversion(Conversion("shop", "signup", "u-2", "zzz2345", NOW))
    _, months = store.referrers.read_code("abc2345")
    conversions = [m for m in months if m.kind == CONVERSIONS]
    assert len(conversions) == 1
    day = conversions[0].days()["2026-11-18"]
    assert (day.signups, day.purchases, dict(day.revenue)) == (1, 1, {"EUR": Decimal("19.90")})


def test_successful_conversions_raise_the_referrers_count_once(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    signup = Conversion("shop", "signup", "u-1", "abc2345", NOW)
    purchase = Conversion(
        "shop", "purchase", "o-1", "abc2345", NOW, Decimal(5), "EUR", successful=True
    )
    store.conversions.record_conversion(signup)
    store.conversions.record_conversion(purchase)
    store.conversions.record_conversion(purchase)
    found = store.referrers.read_code("abc2345")
    assert found is not None and found[0].successful_referrals == 1
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    with pytest.raises(UnknownCodeError):
        store.conversions.record_conversion(
            Conversion("acme", "purchase", "o-2", "abc2345", NOW, successful=True)
        )
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1


def test_admin_keys(store: Any) -> None:
    key = AdminKey("h" * 64, "ci", ("shop",), "read", NOW)
    store.admin_keys.put_admin_key(key)
    assert store.admin_keys.get_admin_key("h" * 64) == key
    assert key.allows("shop", write=False) and not key.allows("shop", write=True)
    assert not key.allows("acme", write=False)
    store.admin_keys.delete_admin_key("h" * 64)
    assert store.admin_keys.get_admin_key("h" * 64) is None


def test_ranking_lists_successful_referrers_most_first_without_emails(store: Any) -> None:
    counts = {"aaa2345": 3, "bbb2345": 1, "ccc2345": 0, "ddd2345": 5, "eee2345": 1}
    for index, (code, successes) in enumerate(counts.items()):
        store.referrers.create_referrer(
            Referrer(code, "shop", f"ek{index}", f"{code}@example.com", f"Name {code}", NOW)
        )
        for n in range(successes):
            store.conversions.record_conversion(
                Conversion("shop", "purchase", f"{code}-{n}", code, NOW, successful=True)
            )
    store.referrers.create_referrer(
        Referrer("fff2345", "acme", "ek9", "f@example.com", "Other", NOW)
    )
    store.conversions.record_conversion(
        Conversion("acme", "purchase", "a-1", "fff2345", NOW, successful=True)
    )

    top = store.referrers.top_referrers("shop", 10)
    assert [e.successful_referrals for e in top] == [5, 3, 1, 1]  # no one with zero
    assert [e.code for e in top[:2]] == ["ddd2345", "aaa2345"]
    assert {e.code for e in top[2:]} == {"bbb2345", "eee2345"}
    assert top[0].name == "Name ddd2345"
    assert "@" not in repr(top)
    assert [e.successful_referrals for e in store.referrers.top_referrers("shop", 2)] == [5, 3]
    assert [e.code for e in store.referrers.top_referrers("acme", 10)] == ["fff2345"]
    assert store.referrers.top_referrers("nobody", 10) == []

    assert store.referrers.count_referrers_above("shop", 1, 1000) == 2
    assert store.referrers.count_referrers_above("shop", 0, 1000) == 4
    assert store.referrers.count_referrers_above("shop", 0, 3) == 3  # bounded
    assert store.referrers.count_referrers_above("shop", 5, 1000) == 0
