"""Coupon pools in memory: the free coupons and the used ones (with the reward that drew each),
per program and pool."""

from __future__ import annotations

from ...model.ledger import PoolCounts
from .metering import metered
from .shared import State


@metered
class MemoryCoupons:
    def __init__(self, state: State) -> None:
        self._state = state

    def add_coupons(self, program: str, pool: str, coupons: list[str]) -> int:
        added = 0
        with self._state.lock:
            free, used = self._state.free[(program, pool)], self._state.used[(program, pool)]
            for coupon in dict.fromkeys(coupons):
                if coupon not in free and coupon not in used:
                    free.add(coupon)
                    added += 1
        return added

    def free_coupons(self, program: str, pool: str, limit: int = 10) -> list[str]:
        with self._state.lock:
            return sorted(self._state.free[(program, pool)])[:limit]

    def pool_counts(self, program: str, pool: str) -> PoolCounts:
        with self._state.lock:
            free, used = self._state.free[(program, pool)], self._state.used[(program, pool)]
            return PoolCounts(len(free), len(used))
