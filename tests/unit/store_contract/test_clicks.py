"""The click path on both twins: unique visits, touchpoints and their compaction, and the one
write that carries a click to its code's counters (by day, channel and page) through the
stream."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.model.ledger import Touch
from chalicelib.model.records import CLICKS, Referrer
from tests.common import NOW, SECRET, config_document
from tests.rollups import settle
from tests.unit.store_contract.records import DAY


def referrer(code: str = "abc2345", program: str = "shop", email_key: str = "ek1") -> Referrer:
    return Referrer(code, program, email_key, "jane@example.com", "Jane", NOW)


def test_visits_are_unique_per_window(store: Any) -> None:
    assert store.clicks.claim_visit("v1", "abc2345", NOW, 86400) is True
    assert store.clicks.claim_visit("v1", "abc2345", NOW + 3600, 86400) is False
    assert store.clicks.claim_visit("v2", "abc2345", NOW + 3600, 86400) is True
    assert store.clicks.claim_visit("v1", "xyz2345", NOW + 3600, 86400) is True
    assert store.clicks.claim_visit("v1", "abc2345", NOW + 86401, 86400) is True


def test_clicks_keep_touchpoints_and_uniqueness_survives_compaction(store: Any) -> None:
    window = DAY
    seen = [
        store.clicks.claim_visit("v1", "abc2345", NOW + i * 3600, window, keep=30 * DAY)
        for i in range(40)
    ]
    # Unique at 0 h, 24 h, 48 h: the same answers as a fixed 24-hour window from the last
    # counted click, across the compactions of the touchpoint list.
    assert [i for i, unique in enumerate(seen) if unique] == [0, 24]
    assert store.clicks.claim_visit("v1", "abc2345", NOW + 48 * 3600, window, keep=30 * DAY) is True
    store.clicks.claim_visit("v1", "xyz2345", NOW, window)
    kept = store.clicks.touchpoints("v1")
    assert Touch("xyz2345", NOW) in kept
    times = sorted(t.at for t in kept if t.code == "abc2345")
    assert 8 <= len(times) <= 16 and times[-1] == NOW + 48 * 3600
    assert store.clicks.touchpoints("nobody") == []


def test_visits_written_before_touchpoints_keep_their_unique_window(dynamo_store: Any) -> None:
    dynamo_store.clients[0].put_item(
        TableName="referbee-test",
        Item={
            "PK": {"S": "VISIT#v1"},
            "SK": {"S": "CODE#abc2345"},
            "seen_at": {"N": str(int(NOW))},
            "expires_at": {"N": str(int(NOW) + DAY)},
        },
    )
    assert dynamo_store.clicks.claim_visit("v1", "abc2345", NOW + 3600, DAY) is False
    assert dynamo_store.clicks.claim_visit("v1", "abc2345", NOW + DAY, DAY) is True
    assert [t.at for t in dynamo_store.clicks.touchpoints("v1")] == [NOW + 3600, NOW + DAY]


def counted(store: Any) -> int:
    """Roll the twin's waiting clicks up, as the rollup function does from the stream."""
    twin = store._store
    return settle(Context(twin, parse_programs(config_document()), Signer(SECRET), FixedClock(NOW)))


def click(store: Any, visitor: str, at: float, **kw: Any) -> bool:
    return bool(store.clicks.claim_visit(visitor, "abc2345", at, DAY, **kw))


def test_a_visit_write_carries_the_click_to_the_codes_counters(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    assert click(store, "v1", NOW, program="shop", channel="direct") is True
    assert click(store, "v2", NOW, program="shop", channel="whatsapp", page="sale") is True
    assert click(store, "v1", NOW + 60, program="shop", channel="whatsapp") is False
    click(store, "v1", NOW + 120)  # a touchpoint only: not a click to count
    next_month = NOW + 31 * 86400
    assert click(store, "v1", next_month, program="shop", channel="direct") is True
    assert counted(store) > 0
    found = store.referrers.read_code("abc2345")
    assert found is not None
    found_referrer, months = found
    assert found_referrer == referrer()
    clicks = sorted((m for m in months if m.kind == CLICKS), key=lambda m: m.month)
    assert [m.month for m in clicks] == ["2026-11", "2026-12"]
    day = clicks[0].days()["2026-11-18"]
    assert (day.clicks, day.unique_clicks) == (3, 2)
    assert clicks[0].channels() == {"direct": 1, "whatsapp": 2}
    assert clicks[0].pages() == {"sale": 1}
    # Delivered again, the same changes add nothing (the rollups' markers).
    assert counted(store) == 0
    assert store.referrers.read_code("abc2345")[1] == months
    assert store.referrers.read_code("nope234") is None


def test_a_compacting_click_is_counted_once_with_its_facts(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    for i in range(20):  # the 17th compacts the touchpoints: still one click
        click(store, "v1", NOW + i * 60, keep=30 * DAY, program="shop", channel="qr", page="sale")
    counted(store)
    _, months = store.referrers.read_code("abc2345")
    month = next(m for m in months if m.kind == CLICKS)
    day = month.days()["2026-11-18"]
    assert (day.clicks, day.unique_clicks) == (20, 1)
    assert (month.channels(), month.pages()) == ({"qr": 20}, {"sale": 20})
