"""The trust-and-safety part of the store contract, run against both twins: tallies, the
identity guard, the review queue, admin key listing and revocation, erasure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.ledger import (
    ConversionEffects,
    EffectsRejectedError,
    IdentityGuard,
    RewardRecord,
    Tally,
)
from chalicelib.model.records import AdminKey, Conversion, Referrer
from chalicelib.store.memory import MemoryStore
from tests.common import NOW


@pytest.fixture(params=["memory", "dynamo"])
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryStore()
    else:
        yield request.getfixturevalue("dynamo_store")


def jane(**changes: Any) -> Referrer:
    base = Referrer("abc2345", "shop", "ek1", "jane@example.com", "Jane", NOW)
    return replace(base, identity="id-jane", visitor="v-jane", **changes)


def purchase(order: str = "1", **changes: Any) -> Conversion:
    return replace(
        Conversion("shop", "purchase", order, "abc2345", NOW, Decimal(40), "EUR"), **changes
    )


def reward(order: str) -> RewardRecord:
    return RewardRecord(
        f"rw_abc2345_{order:0>16}",
        "shop",
        "abc2345",
        "referrer",
        "credit",
        "$10",
        "approved",
        NOW,
        NOW,
        NOW,
        order_id=order,
        event="purchase",
        amount=Decimal(10),
        currency="EUR",
    )


def purchases_of(store: Any) -> int:
    _, months = store.referrers.read_code("abc2345")
    return sum(day.purchases for month in months for day in month.days().values())


def test_tallies_stop_at_their_limit(store: Any) -> None:
    store.referrers.create_referrer(jane())
    tally = Tally("shop", "velocity_referrer", "abc2345", "h1", 2, int(NOW) + 60)
    for order in ("1", "2"):
        store.conversions.record_conversion(purchase(order), ConversionEffects(tallies=(tally,)))
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.record_conversion(purchase("3"), ConversionEffects(tallies=(tally,)))
    assert caught.value.rejection.tallies_over == {"velocity_referrer"}
    assert store.conversions.get_conversion("shop", "purchase", "3") is None
    unlimited = replace(tally, limit=None)
    store.conversions.record_conversion(purchase("3"), ConversionEffects(tallies=(unlimited,)))
    assert store.limits.hit_rate(replace(tally, rule="rate_stats", limit=None)) == 1
    assert store.limits.hit_rate(replace(tally, rule="rate_stats", limit=None)) == 2


@pytest.mark.parametrize(
    "guard", [IdentityGuard(identity="id-jane"), IdentityGuard(visitor="v-jane")]
)
def test_the_identity_guard_returns_the_referrer_it_matched(store: Any, guard: Any) -> None:
    store.referrers.create_referrer(jane())
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.record_conversion(purchase(), ConversionEffects(identity_guard=guard))
    assert caught.value.rejection.primary_identity == ("id-jane", "v-jane")
    other = IdentityGuard(identity="id-kim", visitor="v-kim")
    assert store.conversions.record_conversion(purchase(), ConversionEffects(identity_guard=other))[
        1
    ]


def test_review_conversions_count_apart_until_approved_once(store: Any) -> None:
    store.referrers.create_referrer(jane())
    flagged = purchase(status="review", flags=("bot",), successful=True, identity="id-kim")
    store.conversions.record_conversion(flagged, ConversionEffects())
    assert purchases_of(store) == 0
    assert store.referrers.get_referrer("abc2345").successful_referrals == 0
    assert [c.order_id for c in store.reviews.list_reviews("shop", "review")] == ["1"]
    assert store.privacy.person_orders("shop", "id-kim") == [("purchase", "1")]
    approved = replace(flagged, status="recorded", decided_by="ops", decided_at=NOW + 5)
    effects = ConversionEffects(rewards=(reward("1"),))
    stored, done = store.reviews.approve_conversion(approved, effects)
    assert done and stored.status == "recorded"
    again, done_again = store.reviews.approve_conversion(approved, effects)
    assert not done_again and again.decided_by == "ops"
    assert purchases_of(store) == 1
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    assert store.reviews.list_reviews("shop", "review") == []
    assert [c.decided_by for c in store.reviews.list_reviews("shop", "approved")] == ["ops"]
    assert len(store.rewards.get_rewards([("abc2345", reward("1").reward_id)])) == 1


def test_rejection_happens_once_and_only_from_review(store: Any) -> None:
    store.referrers.create_referrer(jane())
    flagged = purchase(status="review", flags=("bot",))
    store.conversions.record_conversion(flagged, ConversionEffects())
    rejected = replace(flagged, status="rejected", decided_by="ops", decision_note="bot")
    assert store.reviews.reject_conversion(rejected)
    assert not store.reviews.reject_conversion(rejected)
    assert store.conversions.get_conversion("shop", "purchase", "1").decision_note == "bot"
    assert [c.status for c in store.reviews.list_reviews("shop", "rejected")] == ["rejected"]
    assert purchases_of(store) == 0


def test_admin_keys_are_listed_and_revoked(store: Any) -> None:
    key = AdminKey("a" * 64, "ops", ("shop",), "write", NOW, created_by="root")
    store.admin_keys.put_admin_key(key)
    assert store.admin_keys.list_admin_keys() == [key]
    assert store.admin_keys.revoke_admin_key(key.key_hash, NOW + 1)
    assert store.admin_keys.get_admin_key(key.key_hash).revoked
    assert store.admin_keys.get_admin_key(key.key_hash).revoked_at == NOW + 1
    assert not store.admin_keys.revoke_admin_key("b" * 64, NOW)


def test_erasure_keeps_counts(store: Any) -> None:
    store.referrers.create_referrer(jane())
    store.conversions.record_conversion(
        purchase(identity="id-kim", customer="ckim"), ConversionEffects()
    )
    store.privacy.erase_referrer("abc2345", "shop", "ek1")
    erased = store.referrers.get_referrer("abc2345")
    assert (erased.email, erased.name, erased.identity, erased.visitor) == ("", "", "", "")
    assert erased.token_version == 2
    assert store.referrers.find_referrer("shop", "ek1") is None
    conversion = store.conversions.get_conversion("shop", "purchase", "1")
    store.privacy.erase_customer(conversion)
    cleared = store.conversions.get_conversion("shop", "purchase", "1")
    assert (cleared.identity, cleared.customer) == ("", "")
    assert store.privacy.person_orders("shop", "id-kim") == []
    store.privacy.forget_identity("shop", "id-kim", "ckim")
    assert purchases_of(store) == 1
