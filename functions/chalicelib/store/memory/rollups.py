"""Program rollups in memory: days and totals by program, codes' last active days, and the
batches' markers; a write is refused whole when its marker or an active day moved."""

from __future__ import annotations

from ...model.analytics import ProgramRollups, RollupConflictError, RollupWrite
from .. import keys
from .metering import metered
from .shared import State, add


@metered
class MemoryRollups:
    def __init__(self, state: State) -> None:
        self._state = state

    def rollup_marker(self, batch_id: str) -> str | None:
        with self._state.lock:
            return self._state.markers.get(batch_id)

    def active_days(self, codes: list[str]) -> dict[str, str]:
        with self._state.lock:
            return {code: self._state.active[code] for code in codes if code in self._state.active}

    def apply_rollup(self, write: RollupWrite) -> None:
        state = self._state
        with state.lock:
            if state.markers.get(write.batch_id) != write.after:
                raise RollupConflictError(write.batch_id)
            if any(state.active.get(move.code) != move.before for move in write.active):
                raise RollupConflictError(write.batch_id)
            state.markers[write.batch_id] = write.last
            # As in DynamoDB, a zero addition writes nothing: no additions, no item.
            for (program, day), adds in write.days.items():
                if any(adds.values()):
                    add(state.rollup_days[(program, day)], {k: v for k, v in adds.items() if v})
            for program, adds in write.totals.items():
                if any(adds.values()):
                    add(state.rollup_totals[program], {k: v for k, v in adds.items() if v})
            for move in write.active:
                state.active[move.code] = move.day
            for (_, code, month), adds in write.clicks.items():
                add(state.counters[(code, keys.clicks_sk(month))], adds)

    def read_rollups(self, program: str, since_day: str) -> ProgramRollups:
        with self._state.lock:
            days = {
                day: dict(values)
                for (owner, day), values in self._state.rollup_days.items()
                if owner == program and day >= since_day
            }
            return ProgramRollups(days, dict(self._state.rollup_totals.get(program, {})))
