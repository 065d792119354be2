"""Coupon pools in DynamoDB: `FREE#{coupon}` items wait to be drawn and `USED#{coupon}` items
were handed out, under one partition per pool; a claim moves one in a reward's transaction
(store/dynamo/effects.py)."""

from __future__ import annotations

from ...model.ledger import PoolCounts
from .. import keys
from ..attrs import Item, Write, s, text, unavailable_on_failure
from .shared import NEW, Table, failed

_COUPON_BATCH = 50  # two transaction items per coupon
_POOL_PREFIX = "PK = :pk AND begins_with(SK, :prefix)"


class DynamoCoupons:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def add_coupons(self, program: str, pool: str, coupons: list[str]) -> int:
        """Load coupon codes into a pool; a code the pool has ever held (free or handed out)
        is skipped, so no code can be handed out twice. Returns how many were added."""
        added = 0
        for start in range(0, len(coupons), _COUPON_BATCH):
            batch = list(dict.fromkeys(coupons[start : start + _COUPON_BATCH]))
            while batch:
                writes: list[Write] = []
                for coupon in batch:
                    writes += self._new_coupon_writes(program, pool, coupon)
                reasons = self._table.transact(writes)
                taken = {batch[i // 2] for i, reason in enumerate(reasons) if failed(reason)}
                if not taken:
                    added += len(batch)
                    break
                batch = [coupon for coupon in batch if coupon not in taken]
        return added

    @unavailable_on_failure
    def free_coupons(self, program: str, pool: str, limit: int = 10) -> list[str]:
        free = _pool_values(program, pool, keys.free_coupon_sk())
        items = self._table.query(_POOL_PREFIX, free, limit=limit, consistent=True)
        return [text(item, "coupon") for item in items]

    @unavailable_on_failure
    def pool_counts(self, program: str, pool: str) -> PoolCounts:
        return PoolCounts(
            available=self._table.count(
                _POOL_PREFIX, _pool_values(program, pool, keys.free_coupon_sk())
            ),
            used=self._table.count(
                _POOL_PREFIX, _pool_values(program, pool, keys.used_coupon_sk())
            ),
        )

    def _new_coupon_writes(self, program: str, pool: str, coupon: str) -> list[Write]:
        """A coupon the pool never handed out (no USED item) becomes free (a new FREE item)."""
        partition = keys.pool_pk(program, pool)
        return [
            {
                "ConditionCheck": {
                    "TableName": self._table.name,
                    "Key": keys.key(partition, keys.used_coupon_sk(coupon)),
                    "ConditionExpression": NEW.expression,
                }
            },
            self._table.put(
                {**keys.key(partition, keys.free_coupon_sk(coupon)), "coupon": s(coupon)}, NEW
            ),
        ]


def _pool_values(program: str, pool: str, prefix: str) -> Item:
    return {":pk": s(keys.pool_pk(program, pool)), ":prefix": s(prefix)}
