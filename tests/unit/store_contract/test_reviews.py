"""The review queue on both twins: flagged conversions count apart until approved, once; a
rejection happens once and only from review."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.model.ledger import ConversionEffects
from tests.common import NOW
from tests.unit.store_contract.records import (
    approved_reward,
    held_of,
    jane,
    jane_purchase,
    purchases_of,
)


def test_review_conversions_count_apart_until_approved_once(store: Any) -> None:
    store.referrers.create_referrer(jane())
    flagged = jane_purchase(status="review", flags=("bot",), successful=True, identity="id-kim")
    store.conversions.record_conversion(flagged, ConversionEffects())
    assert purchases_of(store) == 0
    assert held_of(store) == (0, 1)
    assert store.referrers.get_referrer("abc2345").successful_referrals == 0
    assert [c.order_id for c in store.reviews.list_reviews("shop", "review")] == ["1"]
    assert store.privacy.person_orders("shop", "id-kim") == [("purchase", "1")]
    approved = replace(flagged, status="recorded", decided_by="ops", decided_at=NOW + 5)
    effects = ConversionEffects(rewards=(approved_reward("1"),))
    stored, done = store.reviews.approve_conversion(approved, effects)
    assert done and stored.status == "recorded"
    again, done_again = store.reviews.approve_conversion(approved, effects)
    assert not done_again and again.decided_by == "ops"
    assert purchases_of(store) == 1
    assert held_of(store) == (0, 0)  # decided once, taken back once
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    assert store.reviews.list_reviews("shop", "review") == []
    assert [c.decided_by for c in store.reviews.list_reviews("shop", "approved")] == ["ops"]
    assert len(store.rewards.get_rewards([("abc2345", approved_reward("1").reward_id)])) == 1


def test_rejection_happens_once_and_only_from_review(store: Any) -> None:
    store.referrers.create_referrer(jane())
    flagged = jane_purchase(status="review", flags=("bot",))
    store.conversions.record_conversion(
        replace(flagged, event="signup", order_id="s1"), ConversionEffects()
    )
    assert held_of(store) == (1, 0)
    store.conversions.record_conversion(flagged, ConversionEffects())
    rejected = replace(flagged, status="rejected", decided_by="ops", decision_note="bot")
    assert store.reviews.reject_conversion(rejected)
    assert not store.reviews.reject_conversion(rejected)
    assert store.conversions.get_conversion("shop", "purchase", "1").decision_note == "bot"
    assert [c.status for c in store.reviews.list_reviews("shop", "rejected")] == ["rejected"]
    assert held_of(store) == (1, 0)  # the signup still waits
    assert purchases_of(store) == 0
