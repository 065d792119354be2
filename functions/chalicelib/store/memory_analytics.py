"""Program analytics' part of MemoryStore: the same contract as store.dynamo_analytics, with
one lock standing in for DynamoDB's transactions."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TypeVar

from ..model.analytics import Page, ProgramRollups, RollupConflictError, RollupWrite
from ..model.clock import iso
from ..model.errors import InvalidInputError
from ..model.ledger import PENDING, RewardRecord
from ..model.records import CLICKS, CONVERSIONS, Conversion, CounterMonth, Referrer

T = TypeVar("T")


class MemoryAnalytics:
    _lock: threading.Lock
    requests: int
    _referrers: dict[str, Referrer]
    _orders: dict[tuple[str, str, str], Conversion]
    _counters: dict[tuple[str, str, str], dict[str, Decimal]]
    _rewards: dict[tuple[str, str], RewardRecord]

    def _init_analytics(self) -> None:
        self._markers: dict[str, str] = {}
        self._active: dict[str, str] = {}
        self._rollup_days: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
        self._rollup_totals: dict[str, dict[str, Decimal]] = defaultdict(dict)

    def rollup_marker(self, batch_id: str) -> str | None:
        self.requests += 1
        with self._lock:
            return self._markers.get(batch_id)

    def active_days(self, codes: list[str]) -> dict[str, str]:
        self.requests += 1
        with self._lock:
            return {code: self._active[code] for code in codes if code in self._active}

    def apply_rollup(self, write: RollupWrite) -> None:
        self.requests += 1
        with self._lock:
            if self._markers.get(write.batch_id) != write.after:
                raise RollupConflictError(write.batch_id)
            if any(self._active.get(move.code) != move.before for move in write.active):
                raise RollupConflictError(write.batch_id)
            self._markers[write.batch_id] = write.last
            for (program, day), adds in write.days.items():
                if any(adds.values()):  # as in DynamoDB: no additions, no item
                    _add_all(self._rollup_days[(program, day)], adds)
            for program, adds in write.totals.items():
                if any(adds.values()):
                    _add_all(self._rollup_totals[program], adds)
            for move in write.active:
                self._active[move.code] = move.day

    def read_rollups(self, program: str, since_day: str) -> ProgramRollups:
        self.requests += 1
        with self._lock:
            days = {
                day: dict(values)
                for (owner, day), values in self._rollup_days.items()
                if owner == program and day >= since_day
            }
            return ProgramRollups(days, dict(self._rollup_totals.get(program, {})))

    def read_counters(self, code: str, first_month: str, last_month: str) -> list[CounterMonth]:
        self.requests += 1
        with self._lock:
            return [
                CounterMonth(code, kind, month, dict(values))
                for (owner, kind, month), values in sorted(self._counters.items())
                if owner == code and kind in (CLICKS, CONVERSIONS)
                if first_month <= month <= last_month
            ]

    def get_referrers(self, codes: list[str]) -> dict[str, Referrer]:
        self.requests += 1
        with self._lock:
            return {code: self._referrers[code] for code in codes if code in self._referrers}

    def list_referrers(self, program: str, limit: int, after: str | None) -> Page[Referrer]:
        self.requests += 1
        with self._lock:
            mine = [r for r in self._referrers.values() if r.program == program]
        return _page(mine, lambda r: f"{iso(r.created_at)}#{r.code}", limit, after)

    def list_conversions(
        self, program: str, since: float, until: float, limit: int, after: str | None
    ) -> Page[Conversion]:
        self.requests += 1
        low, high = iso(since), iso(until) + "~"
        with self._lock:
            mine = [c for c in self._orders.values() if c.program == program]
        return _page(
            [c for c in mine if low <= _conversion_key(c) <= high], _conversion_key, limit, after
        )

    def page_rewards(
        self, program: str, status: str, limit: int, after: str | None
    ) -> Page[RewardRecord]:
        self.requests += 1
        with self._lock:
            mine = [
                r for r in self._rewards.values() if r.program == program and r.status == status
            ]
        return _page(mine, _reward_key, limit, after)


def _page(items: Iterable[T], key: Callable[[T], str], limit: int, after: str | None) -> Page[T]:
    if after is not None and not after.startswith("m:"):
        raise InvalidInputError("The cursor does not belong to this listing.")
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if key(item) > after[2:]]
    chosen = ordered[:limit]
    more = len(ordered) > limit
    return Page(chosen, "m:" + key(chosen[-1]) if more and chosen else None)


def _conversion_key(conversion: Conversion) -> str:
    return f"{iso(conversion.created_at)}#{conversion.event}#{conversion.order_id}"


def _reward_key(reward: RewardRecord) -> str:
    at = reward.approve_at if reward.status == PENDING else reward.updated_at
    return f"{iso(at)}#{reward.reward_id}"


def _add_all(into: dict[str, Decimal], adds: Mapping[str, Decimal]) -> None:
    for name, value in adds.items():
        if value:
            into[name] = into.get(name, Decimal(0)) + value
