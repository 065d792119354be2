"""A person's data in memory: the person index of a customer's orders, and erasure that
leaves the counts as they were."""

from __future__ import annotations

from dataclasses import replace

from ...model.ledger import Tally
from ...model.records import Conversion
from .. import rules
from .metering import metered
from .shared import State, order_of, tally_key


@metered
class MemoryPrivacy:
    def __init__(self, state: State) -> None:
        self._state = state

    def person_orders(self, program: str, identity: str) -> list[tuple[str, str]]:
        with self._state.lock:
            return sorted(self._state.people.get((program, identity), set()))

    def erase_referrer(self, code: str, program: str, email_key: str) -> None:
        with self._state.lock:
            referrer = self._state.referrers.get(code)
            if referrer is not None:
                self._state.referrers[code] = replace(
                    referrer,
                    email="",
                    email_key="",
                    name="",
                    identity="",
                    visitor="",
                    email_opt_out=True,
                    token_version=referrer.token_version + 1,
                )
            self._state.emails.pop((program, email_key), None)

    def erase_customer(self, conversion: Conversion) -> None:
        with self._state.lock:
            stored = self._state.orders.get(order_of(conversion))
            if stored is not None:
                erased = replace(stored, identity="", customer="", visitor="")
                self._state.orders[order_of(conversion)] = erased
            orders = self._state.people.get((conversion.program, conversion.identity))
            if orders is not None:
                orders.discard((conversion.event, conversion.order_id))

    def forget_identity(self, program: str, identity: str, customer_key: str) -> None:
        with self._state.lock:
            for tally in rules.identity_tallies(program, identity):
                self._state.tallies.pop(tally, None)
            self._state.first_purchases.discard((program, customer_key))

    def erase_tallies(self, tallies: list[Tally]) -> None:
        with self._state.lock:
            for tally in tallies:
                self._state.tallies.pop(tally_key(tally), None)
