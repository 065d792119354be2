"""The outbox in memory: messages by (event id, target), their leases, and each program's
delivery log, in the DynamoDB twin's orders (store/rules.py)."""

from __future__ import annotations

from dataclasses import replace

from ...model.ledger import QUEUED, DeliveryAttempt, LimitedMessage, OutboxMessage
from .. import keys, rules
from .metering import metered
from .shared import State, take_tally


@metered
class MemoryOutbox:
    def __init__(self, state: State) -> None:
        self._state = state

    def due_messages(self, now: float, limit: int = 25) -> list[OutboxMessage]:
        with self._state.lock:
            queued = [m for m in self._state.outbox.values() if m.status == QUEUED]
        due = [m for m in queued if rules.message_order(m) <= keys.due_by(now)]
        return sorted(due, key=rules.message_order)[:limit]

    def lease_message(self, message: OutboxMessage, now: float, until: float) -> bool:
        key = (message.event_id, message.target)
        with self._state.lock:
            stored = self._state.outbox.get(key)
            if stored is None or stored.status != QUEUED or stored.attempts != message.attempts:
                return False
            if self._state.leases.get(key, 0.0) >= now:
                return False
            self._state.leases[key] = until
            return True

    def finish_delivery(self, message: OutboxMessage, attempt: DeliveryAttempt) -> bool:
        key = (message.event_id, message.target)
        with self._state.lock:
            stored = self._state.outbox.get(key)
            if stored is None or stored.attempts != message.attempts - 1:
                return False
            self._state.outbox[key] = replace(message, lease_until=0.0)
            self._state.leases.pop(key, None)
            self._state.log[attempt.program].append(attempt)
            return True

    def delivery_log(self, program: str, limit: int = 50) -> list[DeliveryAttempt]:
        with self._state.lock:
            lines = list(self._state.log[program])
        return sorted(lines, key=rules.log_order, reverse=True)[:limit]

    def queue_message(self, mail: LimitedMessage) -> bool:
        with self._state.lock:
            if not take_tally(self._state, mail.tally):
                return False
            self._state.outbox[(mail.message.event_id, mail.message.target)] = mail.message
            return True
