"""The incentive engine's part of MemoryStore: the same contract as store.dynamo_ledger, with
one lock standing in for DynamoDB's conditional writes and transactions."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import replace

from ..model.clock import iso
from ..model.ledger import (
    PENDING,
    QUEUED,
    ConversionEffects,
    CouponClaim,
    DeliveryAttempt,
    EffectsRejectedError,
    OutboxMessage,
    PoolCounts,
    Rejection,
    RewardChange,
    RewardRecord,
    Touch,
)
from ..model.records import CustomerProfile


class MemoryLedger:
    _lock: threading.Lock
    requests: int

    def _init_ledger(self) -> None:
        self._visit_touches: dict[tuple[str, str], tuple[float | None, list[float]]] = {}
        self._rewards: dict[tuple[str, str], RewardRecord] = {}
        self._free: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._used: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self._limits: dict[str, dict[str, int]] = defaultdict(dict)
        self._customers: set[tuple[str, str]] = set()
        self._profiles: dict[tuple[str, str], CustomerProfile] = {}
        self._outbox: dict[tuple[str, str], OutboxMessage] = {}
        self._leases: dict[tuple[str, str], float] = {}
        self._log: dict[str, list[DeliveryAttempt]] = defaultdict(list)

    def touchpoints(self, visitor: str) -> list[Touch]:
        self.requests += 1
        with self._lock:
            return [
                Touch(code, at)
                for (who, code), (_, touches) in sorted(self._visit_touches.items())
                if who == visitor
                for at in touches
            ]

    def get_customer(self, program: str, customer: str) -> CustomerProfile | None:
        self.requests += 1
        with self._lock:
            return self._profiles.get((program, customer))

    def get_rewards(self, refs: list[tuple[str, str]]) -> list[RewardRecord]:
        self.requests += 1
        with self._lock:
            return [self._rewards[ref] for ref in dict.fromkeys(refs) if ref in self._rewards]

    def list_rewards(
        self, program: str, status: str, *, due_by: float | None = None, limit: int = 100
    ) -> list[RewardRecord]:
        self.requests += 1
        with self._lock:
            found = [
                r for r in self._rewards.values() if r.program == program and r.status == status
            ]
        found.sort(key=_reward_sort_key)
        if due_by is not None:
            found = [r for r in found if _reward_sort_key(r) <= f"{iso(due_by)}#~"]
        return found[:limit]

    def change_rewards(
        self, changes: list[RewardChange], messages: tuple[OutboxMessage, ...] = ()
    ) -> None:
        self.requests += 1
        with self._lock:
            rejection = self._check_changes(changes)
            if rejection is not None:
                raise EffectsRejectedError(rejection)
            self._apply_changes(changes, messages)

    def add_coupons(self, program: str, pool: str, coupons: list[str]) -> int:
        self.requests += 1
        added = 0
        with self._lock:
            for coupon in dict.fromkeys(coupons):
                if coupon in self._free[(program, pool)] or coupon in self._used[(program, pool)]:
                    continue
                self._free[(program, pool)].add(coupon)
                added += 1
        return added

    def free_coupons(self, program: str, pool: str, limit: int = 10) -> list[str]:
        self.requests += 1
        with self._lock:
            return sorted(self._free[(program, pool)])[:limit]

    def pool_counts(self, program: str, pool: str) -> PoolCounts:
        self.requests += 1
        with self._lock:
            return PoolCounts(len(self._free[(program, pool)]), len(self._used[(program, pool)]))

    def due_messages(self, now: float, limit: int = 25) -> list[OutboxMessage]:
        self.requests += 1
        with self._lock:
            due = [m for m in self._outbox.values() if m.status == QUEUED]
        due.sort(key=_message_sort_key)
        return [m for m in due if _message_sort_key(m) <= f"{iso(now)}#~"][:limit]

    def lease_message(self, message: OutboxMessage, now: float, until: float) -> bool:
        self.requests += 1
        key = (message.event_id, message.target)
        with self._lock:
            stored = self._outbox.get(key)
            if stored is None or stored.status != QUEUED or stored.attempts != message.attempts:
                return False
            if self._leases.get(key, 0.0) >= now:
                return False
            self._leases[key] = until
            return True

    def finish_delivery(self, message: OutboxMessage, attempt: DeliveryAttempt) -> bool:
        self.requests += 1
        key = (message.event_id, message.target)
        with self._lock:
            stored = self._outbox.get(key)
            if stored is None or stored.attempts != message.attempts - 1:
                return False
            self._outbox[key] = replace(message, lease_until=0.0)
            self._leases.pop(key, None)
            self._log[attempt.program].append(attempt)
            return True

    def delivery_log(self, program: str, limit: int = 50) -> list[DeliveryAttempt]:
        self.requests += 1
        with self._lock:
            lines = list(self._log[program])
        lines.sort(key=_log_sort_key, reverse=True)
        return lines[:limit]

    def _check_effects(
        self, program: str, effects: ConversionEffects, rejection: Rejection
    ) -> None:
        for reward in effects.rewards:
            if (reward.code, reward.reward_id) in self._rewards:
                rejection.rewards_taken.add(reward.reward_id)
        for claim in effects.coupons:
            if claim.coupon not in self._free[(claim.program, claim.pool)]:
                rejection.coupons_taken.add(claim.coupon)
        limit = effects.limit
        if limit is not None:
            counts = self._limits[limit.code]
            total, month = counts.get("total", 0), counts.get(limit.month, 0)
            if (limit.per_referrer is not None and total >= limit.per_referrer) or (
                limit.per_month is not None and month >= limit.per_month
            ):
                rejection.limit_reached = True
        if effects.first_purchase and (program, effects.first_purchase) in self._customers:
            rejection.not_first_purchase = True
        bump = effects.customer
        if bump is not None:
            profile = self._profiles.get((program, bump.customer))
            if (profile.purchases if profile else 0) != bump.before:
                rejection.customer_moved = True
                if profile is not None:
                    rejection.customer = (profile.code, profile.first_at, profile.purchases)

    def _apply_effects(self, program: str, effects: ConversionEffects) -> None:
        for reward in effects.rewards:
            self._rewards[(reward.code, reward.reward_id)] = reward
        for claim in effects.coupons:
            self._claim(claim)
        if effects.limit is not None:
            counts = self._limits[effects.limit.code]
            counts["total"] = counts.get("total", 0) + 1
            counts[effects.limit.month] = counts.get(effects.limit.month, 0) + 1
        if effects.first_purchase:
            self._customers.add((program, effects.first_purchase))
        bump = effects.customer
        if bump is not None:
            known = self._profiles.get((program, bump.customer))
            self._profiles[(program, bump.customer)] = (
                replace(known, purchases=known.purchases + 1)
                if known
                else CustomerProfile(program, bump.customer, bump.code, bump.first_at, 1)
            )
        self._enqueue(effects.messages)

    def _check_changes(self, changes: list[RewardChange]) -> Rejection | None:
        rejection, failed = Rejection(), False
        for change in changes:
            stored = self._rewards.get((change.reward.code, change.reward.reward_id))
            if stored is None or stored.status != change.before:
                rejection.rewards_taken.add(change.reward.reward_id)
                failed = True
            claim = change.coupon
            if claim is not None and claim.coupon not in self._free[(claim.program, claim.pool)]:
                rejection.coupons_taken.add(claim.coupon)
                failed = True
        return rejection if failed else None

    def _apply_changes(
        self, changes: list[RewardChange], messages: tuple[OutboxMessage, ...]
    ) -> None:
        for change in changes:
            self._rewards[(change.reward.code, change.reward.reward_id)] = change.reward
            if change.coupon is not None:
                self._claim(change.coupon)
        self._enqueue(messages)

    def _claim(self, claim: CouponClaim) -> None:
        self._free[(claim.program, claim.pool)].discard(claim.coupon)
        self._used[(claim.program, claim.pool)][claim.coupon] = claim.reward_id

    def _enqueue(self, messages: tuple[OutboxMessage, ...]) -> None:
        for message in messages:
            self._outbox[(message.event_id, message.target)] = message

    def _rewards_of(self, code: str) -> list[RewardRecord]:
        return sorted(
            (r for (owner, _), r in self._rewards.items() if owner == code),
            key=lambda r: r.reward_id,
        )


def _reward_sort_key(reward: RewardRecord) -> str:
    at = reward.approve_at if reward.status == PENDING else reward.updated_at
    return f"{iso(at)}#{reward.reward_id}"


def _message_sort_key(message: OutboxMessage) -> str:
    return f"{iso(message.next_at)}#{message.event_id}#{message.target}"


def _log_sort_key(attempt: DeliveryAttempt) -> str:
    return f"{iso(attempt.at)}#{attempt.event_id}#{attempt.target}#{attempt.attempt:03d}"
