"""Rate-limit windows in memory: the same tallies as the fraud rules' (store/memory/effects.py)."""

from __future__ import annotations

from ...model.ledger import Tally
from .metering import metered
from .shared import State, tally_key


@metered
class MemoryLimits:
    def __init__(self, state: State) -> None:
        self._state = state

    def hit_rate(self, tally: Tally) -> int:
        with self._state.lock:
            self._state.tallies[tally_key(tally)] += 1
            return self._state.tallies[tally_key(tally)]
