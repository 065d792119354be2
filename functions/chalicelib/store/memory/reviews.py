"""The review queue in memory: the flagged conversions of a program, by their queue status,
in the DynamoDB twin's order (store/rules.py)."""

from __future__ import annotations

from ...model.ledger import ConversionEffects, EffectsRejectedError
from ...model.records import REVIEW, Conversion
from .. import rules
from .metering import metered
from .recording import check_conversion, commit, release
from .shared import State, order_of


@metered
class MemoryReviews:
    def __init__(self, state: State) -> None:
        self._state = state

    def list_reviews(self, program: str, status: str, limit: int = 100) -> list[Conversion]:
        with self._state.lock:
            queued = [
                c
                for c in self._state.orders.values()
                if c.program == program and c.flags and rules.queue_status(c.status) == status
            ]
        return sorted(queued, key=rules.review_order, reverse=True)[:limit]

    def approve_conversion(
        self, approved: Conversion, effects: ConversionEffects
    ) -> tuple[Conversion, bool]:
        with self._state.lock:
            stored = self._state.orders.get(order_of(approved))
            if stored is None or stored.status != REVIEW:
                return stored or approved, False
            rejection = check_conversion(self._state, approved, effects)
            if rejection:
                raise EffectsRejectedError(rejection)
            commit(self._state, approved, effects)
            release(self._state, approved)
        return approved, True

    def reject_conversion(self, rejected: Conversion) -> bool:
        order = order_of(rejected)
        with self._state.lock:
            stored = self._state.orders.get(order)
            if stored is None or stored.status != REVIEW:
                return False
            self._state.orders[order] = rejected
            release(self._state, rejected)
            return True
