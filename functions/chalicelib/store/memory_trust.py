"""The trust-and-safety part of MemoryStore: the same contract as store.dynamo_trust (review
queue, tallies, identity guard, admin keys, erasure), with one lock for atomicity."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import replace

from ..model.ledger import ConversionEffects, Rejection, Tally
from ..model.records import RECORDED, REVIEW, AdminKey, Conversion, Referrer


class MemoryTrust:
    _lock: threading.Lock
    requests: int
    _referrers: dict[str, Referrer]
    _emails: dict[tuple[str, str], str]
    _orders: dict[tuple[str, str, str], Conversion]
    _keys: dict[str, AdminKey]
    _customers: set[tuple[str, str]]

    def _init_trust(self) -> None:
        self._tallies: dict[tuple[str, str, str, str], int] = defaultdict(int)
        self._people: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)

    def _commit(self, conversion: Conversion, effects: ConversionEffects | None) -> None:
        raise NotImplementedError  # pragma: no cover - MemoryStore's

    def _check_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None
    ) -> Rejection:
        raise NotImplementedError  # pragma: no cover - MemoryStore's

    def _check_trust(
        self, conversion: Conversion, effects: ConversionEffects, rejection: Rejection
    ) -> None:
        for tally in effects.tallies:
            if tally.limit is not None and self._tallies[_tally_key(tally)] >= tally.limit:
                rejection.tallies_over.add(tally.rule)
        guard = effects.identity_guard
        referrer = self._referrers.get(conversion.code)
        if guard is None or referrer is None or referrer.program != conversion.program:
            return
        if (guard.identity and referrer.identity == guard.identity) or (
            guard.visitor and referrer.visitor == guard.visitor
        ):
            rejection.primary_identity = (referrer.identity, referrer.visitor)
            rejection.count = referrer.successful_referrals

    def _apply_trust(self, conversion: Conversion, effects: ConversionEffects | None) -> None:
        for tally in effects.tallies if effects else ():
            self._tallies[_tally_key(tally)] += 1
        if conversion.identity:
            self._people[(conversion.program, conversion.identity)].add(
                (conversion.event, conversion.order_id)
            )

    def list_reviews(self, program: str, status: str, limit: int = 100) -> list[Conversion]:
        self.requests += 1
        with self._lock:
            found = [c for c in self._orders.values() if c.program == program and c.flags]
        found = [c for c in found if _queue_status(c) == status]
        found.sort(key=lambda c: (c.created_at, c.event, c.order_id), reverse=True)
        return found[:limit]

    def approve_conversion(
        self, approved: Conversion, effects: ConversionEffects
    ) -> tuple[Conversion, bool]:
        from ..model.ledger import EffectsRejectedError

        self.requests += 1
        key = (approved.program, approved.event, approved.order_id)
        with self._lock:
            stored = self._orders.get(key)
            if stored is None or stored.status != REVIEW:
                return stored or approved, False
            rejection = self._check_conversion(approved, effects)
            if rejection:
                raise EffectsRejectedError(rejection)
            self._commit(approved, effects)
        return approved, True

    def reject_conversion(self, rejected: Conversion) -> bool:
        self.requests += 1
        key = (rejected.program, rejected.event, rejected.order_id)
        with self._lock:
            stored = self._orders.get(key)
            if stored is None or stored.status != REVIEW:
                return False
            self._orders[key] = rejected
            return True

    def hit_rate(self, tally: Tally) -> int:
        self.requests += 1
        with self._lock:
            self._tallies[_tally_key(tally)] += 1
            return self._tallies[_tally_key(tally)]

    def list_admin_keys(self) -> list[AdminKey]:
        self.requests += 1
        return sorted(self._keys.values(), key=lambda k: k.key_hash)

    def revoke_admin_key(self, key_hash: str, at: float) -> bool:
        self.requests += 1
        with self._lock:
            key = self._keys.get(key_hash)
            if key is None:
                return False
            self._keys[key_hash] = replace(key, revoked=True, revoked_at=at)
            return True

    def person_orders(self, program: str, identity: str) -> list[tuple[str, str]]:
        self.requests += 1
        return sorted(self._people.get((program, identity), set()))

    def erase_referrer(self, code: str, program: str, email_key: str) -> None:
        self.requests += 2
        with self._lock:
            referrer = self._referrers.get(code)
            if referrer is not None:
                self._referrers[code] = replace(
                    referrer,
                    email="",
                    email_key="",
                    name="",
                    identity="",
                    visitor="",
                    email_opt_out=True,
                    token_version=referrer.token_version + 1,
                )
            self._emails.pop((program, email_key), None)

    def erase_customer(self, conversion: Conversion) -> None:
        self.requests += 2
        key = (conversion.program, conversion.event, conversion.order_id)
        with self._lock:
            stored = self._orders.get(key)
            if stored is not None:
                self._orders[key] = replace(stored, identity="", customer="", visitor="")
            orders = self._people.get((conversion.program, conversion.identity))
            if orders is not None:
                orders.discard((conversion.event, conversion.order_id))

    def forget_identity(self, program: str, identity: str, customer_key: str) -> None:
        self.requests += 3
        with self._lock:
            for key in [k for k in self._tallies if k[0] == program and k[2] == identity]:
                del self._tallies[key]
            self._customers.discard((program, customer_key))
            self._people.pop((program, identity), None)


def _tally_key(tally: Tally) -> tuple[str, str, str, str]:
    return (tally.program, tally.rule, tally.subject, tally.window)


def _queue_status(conversion: Conversion) -> str:
    return "approved" if conversion.status == RECORDED else conversion.status
