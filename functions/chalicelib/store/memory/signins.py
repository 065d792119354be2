"""Sign-in links in memory, by the keyed hash of their token."""

from __future__ import annotations

from ...model.ledger import OutboxMessage
from ...model.records import SigninLink
from .. import rules
from .metering import metered
from .shared import State


@metered
class MemorySignins:
    def __init__(self, state: State) -> None:
        self._state = state

    def create_signin(self, link: SigninLink, message: OutboxMessage) -> None:
        with self._state.lock:
            self._state.signins[link.token_hash] = link
            self._state.outbox[(message.event_id, message.target)] = message

    def spend_signin(self, token_hash: str, program: str, now: float) -> str | None:
        with self._state.lock:
            link = self._state.signins.get(token_hash)
            if link is None or not rules.signin_spendable(link, program, now):
                return None
            del self._state.signins[token_hash]
            return link.code
