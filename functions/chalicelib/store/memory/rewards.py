"""Rewards in memory, by (code, reward id); listed by program and status in the DynamoDB
twin's order (store/rules.py)."""

from __future__ import annotations

from ...model.analytics import Page
from ...model.ledger import EffectsRejectedError, OutboxMessage, RewardChange, RewardRecord
from .. import keys, rules
from .effects import apply_changes, check_changes
from .metering import metered
from .shared import State, page


@metered
class MemoryRewards:
    def __init__(self, state: State) -> None:
        self._state = state

    def get_rewards(self, refs: list[tuple[str, str]]) -> list[RewardRecord]:
        with self._state.lock:
            stored = self._state.rewards
            return [stored[ref] for ref in dict.fromkeys(refs) if ref in stored]

    def list_rewards(
        self, program: str, status: str, *, due_by: float | None = None, limit: int = 100
    ) -> list[RewardRecord]:
        bound = keys.due_by(due_by) if due_by is not None else None
        listed = sorted(self._of(program, status), key=rules.reward_order)
        return [r for r in listed if bound is None or rules.reward_order(r) <= bound][:limit]

    def page_rewards(
        self, program: str, status: str, limit: int, after: str | None
    ) -> Page[RewardRecord]:
        return page(self._of(program, status), rules.reward_order, limit, after)

    def change_rewards(
        self, changes: list[RewardChange], messages: tuple[OutboxMessage, ...] = ()
    ) -> None:
        with self._state.lock:
            rejection = check_changes(self._state, changes)
            if rejection is not None:
                raise EffectsRejectedError(rejection)
            apply_changes(self._state, changes, messages)

    def _of(self, program: str, status: str) -> list[RewardRecord]:
        with self._state.lock:
            return [
                r
                for r in self._state.rewards.values()
                if r.program == program and r.status == status
            ]
