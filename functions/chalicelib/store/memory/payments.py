"""The webhooks' records in memory: receipts by event, and the facts of each payment provider
object, merged as the DynamoDB twin merges them (store/rules.py)."""

from __future__ import annotations

from ...model.payments import PaymentFacts, Receipt
from .. import rules
from .metering import metered
from .shared import State


@metered
class MemoryPayments:
    def __init__(self, state: State) -> None:
        self._state = state

    def get_receipt(self, program: str, provider: str, event_id: str) -> Receipt | None:
        return self._state.receipts.get((program, provider, event_id))

    def keep_receipt(self, receipt: Receipt) -> bool:
        key = (receipt.program, receipt.provider, receipt.event_id)
        with self._state.lock:
            if key in self._state.receipts:
                return False
            self._state.receipts[key] = receipt
            return True

    def meet(self, program: str, key: str, facts: PaymentFacts) -> PaymentFacts:
        with self._state.lock:
            known = self._state.payments.get((program, key), PaymentFacts())
            merged = rules.merged_facts(known, facts)
            self._state.payments[(program, key)] = merged
            return merged

    def facts(self, program: str, key: str) -> PaymentFacts:
        with self._state.lock:
            return self._state.payments.get((program, key), PaymentFacts())
