"""The referrers capability on both twins: uniqueness by email and code, the email index, opt-outs,
counter ranges, the program listing, and the ranking."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.model.errors import CodeTakenError, InvalidInputError, ReferrerExistsError
from chalicelib.model.records import CLICKS, Conversion, Referrer
from tests.common import NOW
from tests.unit.store_contract.test_clicks import counted


def referrer(code: str = "abc2345", program: str = "shop", email_key: str = "ek1") -> Referrer:
    return Referrer(code, program, email_key, "jane@example.com", "Jane", NOW)


def listed(code: str, at: float = NOW) -> Referrer:
    return Referrer(code, "shop", f"ek-{code}", f"{code}@example.com", f"Name {code}", at)


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


def test_email_opt_out(store: Any) -> None:
    assert store.referrers.set_email_opt_out("abc2345", True) is False
    store.referrers.create_referrer(referrer(email_key="ek-abc2345"))
    assert store.referrers.set_email_opt_out("abc2345", True) is True
    assert store.referrers.get_referrer("abc2345").email_opt_out is True


def test_counter_months_are_read_for_a_range(store: Any) -> None:
    store.referrers.create_referrer(listed("abc2345"))
    for days in (-40, 0, 40):
        store.clicks.claim_visit(
            "v1", "abc2345", NOW + days * 86400, 86400, program="shop", channel="x", page="sale"
        )
    counted(store)
    months = store.referrers.read_counters("abc2345", "2026-11", "2026-12")
    assert sorted((m.kind, m.month) for m in months) == [(CLICKS, "2026-11"), (CLICKS, "2026-12")]
    november = next(m for m in months if m.month == "2026-11")
    assert november.pages() == {"sale": 1} and november.channels() == {"x": 1}
    assert store.referrers.read_counters("nope234", "2026-01", "2026-12") == []


def test_referrers_are_listed_a_page_at_a_time(store: Any) -> None:
    for i in range(5):
        store.referrers.create_referrer(listed(f"abc234{i}", NOW + i))
    seen, after = [], None
    for _ in range(5):
        page = store.referrers.list_referrers("shop", 2, after)
        seen += [r.code for r in page.items]
        after = page.after
        if after is None:
            break
    assert seen == [f"abc234{i}" for i in range(5)]
    assert store.referrers.list_referrers("acme", 10, None).items == []
    assert store.referrers.get_referrers(["abc2341", "nope234", "abc2341"]) == {
        "abc2341": listed("abc2341", NOW + 1)
    }
    with pytest.raises(InvalidInputError):
        store.referrers.list_referrers("shop", 2, '{"PK": "x"}')


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
