"""Confirming a browser's claim on both twins: the claim becomes the trusted report once, its
counters move by the difference (to another code when the referrer changes), the referral
moves with it, the review queue follows, and a reward that moved on refuses the whole write."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.ledger import (
    PENDING,
    ConversionEffects,
    EffectsRejectedError,
    RewardChange,
)
from chalicelib.model.records import CONVERSIONS, DayCounts
from tests.unit.store_contract.records import purchase, referrer, reward


def day_of(store: Any, code: str) -> DayCounts:
    months = [m for m in store.referrers.read_code(code)[1] if m.kind == CONVERSIONS]
    return months[0].days().get("2026-11-18", DayCounts()) if months else DayCounts()


def claimed(store: Any, **changes: Any) -> Any:
    """A beacon's claim of order o1 for abc2345 (EUR 20), its referrer reward waiting."""
    store.referrers.create_referrer(referrer())
    claim = purchase(unverified=True, source="beacon", rewards=(reward(),), **changes)
    store.conversions.record_conversion(claim, ConversionEffects(rewards=(reward(),)))
    return claim


def test_a_claim_is_confirmed_once_with_the_trusted_amount(store: Any) -> None:
    claim = claimed(store)
    approved = replace(reward(), status="approved", amount=Decimal(12))
    confirmed = replace(
        claim,
        amount=Decimal("35.50"),
        unverified=False,
        confirmed_by="api",
        confirmed_at=claim.created_at + 60,
        rewards=(approved,),
    )
    change = [RewardChange(approved, PENDING)]
    assert store.conversions.confirm_conversion(claim, confirmed, ConversionEffects(), change) == (
        confirmed,
        True,
    )
    again = store.conversions.confirm_conversion(claim, confirmed, ConversionEffects(), change)
    assert again == (confirmed, False)
    day = day_of(store, "abc2345")
    assert (day.purchases, day.revenue["EUR"]) == (1, Decimal("35.50"))
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1
    assert store.rewards.get_rewards([("abc2345", reward().reward_id)]) == [approved]
    assert store.conversions.get_conversion("shop", "purchase", "o1") == confirmed


def test_a_trusted_report_naming_another_referrer_moves_the_conversion(store: Any) -> None:
    claim = claimed(store)
    store.referrers.create_referrer(referrer("xyz6789"))
    voided = replace(reward(), status="void", reason="not_confirmed")
    confirmed = replace(claim, code="xyz6789", unverified=False, confirmed_by="api", rewards=())
    stored, done = store.conversions.confirm_conversion(
        claim, confirmed, ConversionEffects(), [RewardChange(voided, PENDING)]
    )
    assert done and stored.code == "xyz6789"
    assert (day_of(store, "abc2345").purchases, day_of(store, "xyz6789").purchases) == (0, 1)
    assert store.referrers.get_referrer("abc2345").successful_referrals == 0
    assert store.referrers.get_referrer("xyz6789").successful_referrals == 1


def test_a_claim_in_review_leaves_the_queue_when_confirmed(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    claim = purchase(unverified=True, status="review", flags=("velocity:visitor_per_day",))
    store.conversions.record_conversion(claim, ConversionEffects())
    assert day_of(store, "abc2345").purchases == 0
    confirmed = replace(claim, status="recorded", flags=(), unverified=False, confirmed_by="api")
    assert store.conversions.confirm_conversion(claim, confirmed, ConversionEffects(), [])[1]
    assert store.reviews.list_reviews("shop", "review") == []
    assert day_of(store, "abc2345").purchases == 1
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1


def test_an_organic_claim_gets_its_referrer_from_the_trusted_report(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    claim = replace(purchase(unverified=True), code="", successful=False)
    store.conversions.record_conversion(claim, ConversionEffects())
    confirmed = replace(claim, code="abc2345", successful=True, unverified=False)
    assert store.conversions.confirm_conversion(claim, confirmed, ConversionEffects(), [])[1]
    assert day_of(store, "abc2345").purchases == 1
    assert store.referrers.get_referrer("abc2345").successful_referrals == 1


def test_a_reward_that_moved_on_refuses_the_confirmation(store: Any) -> None:
    claim = claimed(store)
    paid = replace(reward(), status="paid")
    store.rewards.change_rewards([RewardChange(replace(reward(), status="approved"), PENDING)])
    confirmed = replace(claim, unverified=False, amount=Decimal(99))
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.confirm_conversion(
            claim, confirmed, ConversionEffects(), [RewardChange(paid, PENDING)]
        )
    assert caught.value.rejection.rewards_taken == {reward().reward_id}
    assert store.conversions.get_conversion("shop", "purchase", "o1") == claim
    assert day_of(store, "abc2345").revenue["EUR"] == Decimal(20)
