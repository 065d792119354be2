"""The click path on both twins: unique visits, touchpoints and their compaction, click counters
by day, channel and page, and a hot code's shards."""

from __future__ import annotations

from typing import Any

from chalicelib.model.ledger import Touch
from chalicelib.model.records import CLICKS, ClickCounted, Referrer
from tests.common import NOW
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
