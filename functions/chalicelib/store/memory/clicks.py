"""The click path in memory: a visit per visitor and code (its touchpoints), kept by the same
rules as the DynamoDB twin's (store/rules.py). A counted click is also put on the twin's
change feed, as the DynamoDB twin's write puts it on the table's stream."""

from __future__ import annotations

from ...model.analytics import ClickMade
from ...model.ledger import Touch
from .. import rules
from .metering import metered
from .shared import State


@metered
class MemoryClicks:
    def __init__(self, state: State) -> None:
        self._state = state

    def claim_visit(
        self,
        visitor: str,
        code: str,
        now: float,
        window: int,
        *,
        keep: int = 0,
        program: str | None = None,
        channel: str = "direct",
        page: str | None = None,
    ) -> bool:
        at = float(int(now))
        with self._state.lock:
            anchor, touches = self._state.visits.get((visitor, code), (None, []))
            unique = rules.is_unique(anchor, touches, at, window)
            if len(touches) >= rules.TOUCH_CAP:
                lifetime = rules.visit_lifetime(window, keep)
                anchor, touches = rules.compact_touches(anchor, touches, now, window, lifetime)
            self._state.visits[(visitor, code)] = (anchor, [*touches, at])
            if program is not None:
                self._state.feed.append(ClickMade(program, code, at, unique, channel, page))
            return unique

    def touchpoints(self, visitor: str) -> list[Touch]:
        with self._state.lock:
            return [
                Touch(code, at)
                for (who, code), (_, touches) in sorted(self._state.visits.items())
                if who == visitor
                for at in touches
            ]
