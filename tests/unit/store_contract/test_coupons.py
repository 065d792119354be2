"""Coupon pools on both twins: a code is never added twice, even after it was handed out."""

from __future__ import annotations

from typing import Any

from chalicelib.model.ledger import ConversionEffects, CouponClaim
from tests.unit.store_contract.records import purchase, referrer, reward


def test_coupons_are_never_added_twice_even_after_use(store: Any) -> None:
    assert store.coupons.add_coupons("shop", "p", ["A", "B", "A"]) == 2
    assert store.coupons.add_coupons("shop", "p", ["B", "C"]) == 1
    store.referrers.create_referrer(referrer())
    claim = CouponClaim("shop", "p", "A", reward().reward_id)
    store.conversions.record_conversion(
        purchase(), ConversionEffects(rewards=(reward(coupon="A"),), coupons=(claim,))
    )
    assert store.coupons.add_coupons("shop", "p", ["A"]) == 0
    assert store.coupons.free_coupons("shop", "p") == ["B", "C"]
    counts = store.coupons.pool_counts("shop", "p")
    assert (counts.available, counts.used) == (2, 1)
    many = [f"X{i:03d}" for i in range(120)]
    assert store.coupons.add_coupons("shop", "big", many) == 120
    assert store.coupons.pool_counts("shop", "big").available == 120
