"""Rewards on both twins: moved only from the status they are in, read by reference, and listed
by status (due ones by the end of their hold), a page at a time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.model.ledger import (
    APPROVED,
    PENDING,
    ConversionEffects,
    EffectsRejectedError,
    RewardChange,
    RewardRecord,
)
from chalicelib.model.records import Conversion
from tests.common import NOW
from tests.unit.store_contract.records import DAY, message, purchase, referrer, reward


def test_rewards_move_only_from_the_status_they_are_in(store: Any) -> None:
    store.referrers.create_referrer(referrer())
    store.conversions.record_conversion(purchase(), ConversionEffects(rewards=(reward(),)))
    assert [
        r.reward_id for r in store.rewards.list_rewards("shop", PENDING, due_by=NOW + DAY - 1)
    ] == []
    assert [r.reward_id for r in store.rewards.list_rewards("shop", PENDING, due_by=NOW + DAY)] == [
        reward().reward_id
    ]
    approved = replace(reward(), status=APPROVED, updated_at=NOW + DAY)
    store.rewards.change_rewards([RewardChange(approved, PENDING)], (message("ev_2"),))
    with pytest.raises(EffectsRejectedError) as caught:
        store.rewards.change_rewards([RewardChange(approved, PENDING)])
    assert caught.value.rejection.rewards_taken == {reward().reward_id}
    assert store.rewards.get_rewards([("abc2345", reward().reward_id), ("abc2345", "rw_nope")]) == [
        approved
    ]
    assert store.rewards.list_rewards("shop", PENDING) == []
    assert store.rewards.list_rewards("shop", APPROVED) == [approved]


def test_rewards_are_listed_by_status(store: Any) -> None:
    reward = RewardRecord(
        "rw_abc2345_1", "shop", "abc2345", "referrer", "credit", "10", "approved", NOW, NOW, NOW
    )
    store.referrers.create_referrer(referrer("abc2345"))
    effects = ConversionEffects(rewards=(reward, replace(reward, reward_id="rw_abc2345_2")))
    store.conversions.record_conversion(
        Conversion("shop", "purchase", "o1", "abc2345", NOW), effects
    )
    page = store.rewards.page_rewards("shop", "approved", 1, None)
    assert [r.reward_id for r in page.items] == ["rw_abc2345_1"]
    following = store.rewards.page_rewards("shop", "approved", 1, page.after)
    assert [r.reward_id for r in following.items] == ["rw_abc2345_2"]
    assert store.rewards.page_rewards("shop", "paid", 10, None).items == []
