"""The click path in memory: a visit per visitor and code (its touchpoints) and the code's
click counters, kept by the same rules as the DynamoDB twin's (store/rules.py)."""

from __future__ import annotations

from decimal import Decimal

from ...model.ledger import Touch
from ...model.records import ClickCounted
from .. import keys, rules
from .metering import metered
from .shared import State, add


@metered
class MemoryClicks:
    def __init__(self, state: State) -> None:
        self._state = state

    def claim_visit(
        self, visitor: str, code: str, now: float, window: int, *, keep: int = 0
    ) -> bool:
        with self._state.lock:
            anchor, touches = self._state.visits.get((visitor, code), (None, []))
            unique = rules.is_unique(anchor, touches, now, window)
            if len(touches) >= rules.TOUCH_CAP:
                lifetime = rules.visit_lifetime(window, keep)
                anchor, touches = rules.compact_touches(anchor, touches, now, window, lifetime)
            self._state.visits[(visitor, code)] = (anchor, [*touches, float(int(now))])
            return unique

    def touchpoints(self, visitor: str) -> list[Touch]:
        with self._state.lock:
            return [
                Touch(code, at)
                for (who, code), (_, touches) in sorted(self._state.visits.items())
                if who == visitor
                for at in touches
            ]

    def count_click(
        self,
        code: str,
        at: float,
        *,
        unique: bool,
        channel: str | None,
        page: str | None = None,
        shard: int = 0,
    ) -> ClickCounted | None:
        referrer = self._state.referrers.get(code)
        if referrer is None:
            return None
        month, names = rules.click_counters(at, unique=unique, channel=channel, page=page)
        with self._state.lock:
            values = self._state.counters[(code, keys.clicks_sk(month, shard))]
            add(values, dict.fromkeys(names, Decimal(1)))
            return ClickCounted(referrer.program, int(values[names[0]]))
