"""Conversions in memory: one per (program, event, order id), written once with their effects
(store/memory/recording.py), refunds, referred customers, and the program listing."""

from __future__ import annotations

from dataclasses import replace

from ...model.analytics import Page
from ...model.errors import UnknownCodeError
from ...model.ledger import ConversionEffects, EffectsRejectedError, OutboxMessage, RewardChange
from ...model.records import Conversion, CustomerProfile
from ...model.statuses import REFUNDED
from .. import keys, rules
from .confirmation import confirm
from .effects import apply_changes, check_changes
from .metering import metered
from .recording import check_conversion, commit, count, move_referrals
from .shared import State, order_of, page


@metered
class MemoryConversions:
    def __init__(self, state: State) -> None:
        self._state = state

    def record_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None = None
    ) -> tuple[Conversion, bool]:
        with self._state.lock:
            stored = self._state.orders.get(order_of(conversion))
            if stored is not None:
                return stored, False
            rejection = check_conversion(self._state, conversion, effects)
            if rejection and effects is None:
                raise UnknownCodeError(
                    f"Referral code '{conversion.code}' does not exist in program "
                    f"'{conversion.program}'."
                )
            if rejection:
                raise EffectsRejectedError(rejection)
            commit(self._state, conversion, effects)
        return conversion, True

    def get_conversion(self, program: str, event: str, order_id: str) -> Conversion | None:
        return self._state.orders.get((program, event, order_id))

    def confirm_conversion(
        self,
        claim: Conversion,
        confirmed: Conversion,
        effects: ConversionEffects,
        changes: list[RewardChange],
    ) -> tuple[Conversion, bool]:
        with self._state.lock:
            return confirm(self._state, claim, confirmed, effects, changes)

    def get_customer(self, program: str, customer: str) -> CustomerProfile | None:
        with self._state.lock:
            return self._state.profiles.get((program, customer))

    def refund_conversion(
        self,
        before: Conversion,
        after: Conversion,
        changes: list[RewardChange],
        messages: tuple[OutboxMessage, ...] = (),
    ) -> bool:
        order = order_of(after)
        with self._state.lock:
            stored = self._state.orders.get(order)
            if stored is None or (stored.status, stored.losses) != (before.status, before.losses):
                return False
            rejection = check_changes(self._state, changes)
            if rejection is not None:
                raise EffectsRejectedError(rejection)
            self._state.orders[order] = replace(
                stored,
                status=after.status,
                refunded_at=after.refunded_at,
                rewards=after.rewards,
                losses=after.losses,
            )
            if after.status == REFUNDED and before.status != REFUNDED:
                count(self._state, after, -1)
                if after.successful:
                    move_referrals(self._state, after.code, -1)
            apply_changes(self._state, changes, messages)
        return True

    def list_conversions(
        self, program: str, since: float, until: float, limit: int, after: str | None
    ) -> Page[Conversion]:
        low, high = keys.conversions_gsi_range(since, until)
        with self._state.lock:
            mine = [
                c
                for c in self._state.orders.values()
                if c.program == program and low <= rules.conversion_order(c) <= high
            ]
        return page(mine, rules.conversion_order, limit, after)
