"""The in-memory twin of DynamoStore, for unit tests and handler benchmarks.

Same contract, same atomicity (one lock stands in for DynamoDB's conditional writes), no IO.
tests/unit/test_store_contract.py runs one suite against both.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Self

from ..model.errors import CodeTakenError, ReferrerExistsError, UnknownCodeError
from ..model.ledger import (
    TOUCH_CAP,
    ConversionEffects,
    EffectsRejectedError,
    OutboxMessage,
    Rejection,
    RewardChange,
    RewardRecord,
    compact_touches,
    is_unique,
)
from ..model.records import (
    CLICKS,
    CONVERSIONS,
    FLAGGED,
    RECORDED,
    REVIEW,
    AdminKey,
    BoardEntry,
    ClickCounted,
    Conversion,
    CounterMonth,
    Referrer,
    channel_name,
    counter_name,
    credits_of,
    page_name,
)
from .memory_analytics import MemoryAnalytics
from .memory_ledger import MemoryLedger
from .memory_trust import MemoryTrust


class MemoryStore(MemoryLedger, MemoryTrust, MemoryAnalytics):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._referrers: dict[str, Referrer] = {}
        self._emails: dict[tuple[str, str], str] = {}
        self._visits: dict[tuple[str, str], float] = {}
        self._counters: dict[tuple[str, str, str], dict[str, Decimal]] = defaultdict(dict)
        self._orders: dict[tuple[str, str, str], Conversion] = {}
        self._keys: dict[str, AdminKey] = {}
        self.requests = 0  # what DynamoStore would have sent, for benchmarks
        self._init_ledger()
        self._init_trust()
        self._init_analytics()

    @property
    def referrers(self) -> Self:
        return self

    @property
    def clicks(self) -> Self:
        return self

    @property
    def conversions(self) -> Self:
        return self

    @property
    def reviews(self) -> Self:
        return self

    @property
    def rewards(self) -> Self:
        return self

    @property
    def coupons(self) -> Self:
        return self

    @property
    def outbox(self) -> Self:
        return self

    @property
    def admin_keys(self) -> Self:
        return self

    @property
    def limits(self) -> Self:
        return self

    @property
    def privacy(self) -> Self:
        return self

    @property
    def rollups(self) -> Self:
        return self

    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        self.requests += 1
        code = self._emails.get((program, email_key))
        referrer = self._referrers.get(code) if code else None
        # The email index holds a copy made at creation, as in DynamoStore.
        return replace(referrer, successful_referrals=0, email_opt_out=False) if referrer else None

    def create_referrer(self, referrer: Referrer) -> None:
        self.requests += 1
        with self._lock:
            if (referrer.program, referrer.email_key) in self._emails:
                raise ReferrerExistsError("a referrer with this email already exists")
            if referrer.code in self._referrers:
                raise CodeTakenError("code already taken")
            self._emails[(referrer.program, referrer.email_key)] = referrer.code
            self._referrers[referrer.code] = referrer

    def get_referrer(self, code: str) -> Referrer | None:
        self.requests += 1
        return self._referrers.get(code)

    def claim_visit(
        self, visitor: str, code: str, now: float, window: int, *, keep: int = 0
    ) -> bool:
        self.requests += 1
        with self._lock:
            anchor, touches = self._visit_touches.get((visitor, code), (None, []))
            unique = is_unique(anchor, touches, now, window)
            if len(touches) >= TOUCH_CAP:
                self.requests += 1  # DynamoStore compacts the list with a second write
                anchor, touches = compact_touches(anchor, touches, now, window, max(window, keep))
            self._visit_touches[(visitor, code)] = (anchor, [*touches, float(int(now))])
            return unique

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
        self.requests += 1
        referrer = self._referrers.get(code)
        if referrer is None:
            return None
        month, day = _month_and_day(at)
        # As in DynamoStore, each shard is its own counter item of the month.
        item = f"{month}#{shard:02d}" if shard else month
        with self._lock:
            values = self._counters[(code, CLICKS, item)]
            _add(values, counter_name("c", day), Decimal(1))
            if unique:
                _add(values, counter_name("u", day), Decimal(1))
            if channel:
                _add(values, channel_name(channel), Decimal(1))
            if page:
                _add(values, page_name(page), Decimal(1))
            day_clicks = int(values[counter_name("c", day)])
        return ClickCounted(referrer.program, day_clicks)

    def record_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None = None
    ) -> tuple[Conversion, bool]:
        self.requests += 1
        key = (conversion.program, conversion.event, conversion.order_id)
        with self._lock:
            if key in self._orders:
                return self._orders[key], False
            rejection = self._check_conversion(conversion, effects)
            if rejection and effects is None:
                raise UnknownCodeError(
                    f"Referral code '{conversion.code}' does not exist in program "
                    f"'{conversion.program}'."
                )
            if rejection:
                raise EffectsRejectedError(rejection)
            self._commit(conversion, effects)
        return conversion, True

    def _commit(self, conversion: Conversion, effects: ConversionEffects | None) -> None:
        key = (conversion.program, conversion.event, conversion.order_id)
        self._orders[key] = conversion
        self._count_conversion(conversion, 1)
        if effects is not None:
            self._apply_effects(conversion.program, effects)
        self._apply_trust(conversion, effects)

    def _check_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None
    ) -> Rejection:
        rejection = Rejection()
        for credit in credits_of(conversion):
            referrer = self._referrers.get(credit.code)
            if referrer is None or referrer.program != conversion.program:
                rejection.foreign_codes.add(credit.code)
        guard = effects.count_guard if effects else None
        counted = conversion.status == RECORDED
        if (
            counted
            and conversion.successful
            and guard
            and conversion.code not in rejection.foreign_codes
        ):
            count = self._referrers[conversion.code].successful_referrals
            if count in guard.avoid or guard.expected not in (None, count):
                rejection.count = count
        if effects is not None:
            self._check_effects(conversion.program, effects, rejection)
            self._check_trust(conversion, effects, rejection)
        return rejection

    def _count_conversion(self, conversion: Conversion, sign: int) -> None:
        day = time.strftime("%d", time.gmtime(conversion.created_at))
        letter = "p" if conversion.event == "purchase" else "s"
        counted = conversion.status != REVIEW
        if not counted:
            letter = FLAGGED
        for credit in credits_of(conversion):
            values = self._counters[(credit.code, CONVERSIONS, _month(conversion.created_at))]
            _add(values, counter_name(letter, day), Decimal(sign))
            if credit.revenue > 0 and counted:
                _add(values, counter_name("r", day, conversion.currency), credit.revenue * sign)
        if conversion.successful and counted:
            referrer = self._referrers[conversion.code]
            self._referrers[referrer.code] = replace(
                referrer, successful_referrals=referrer.successful_referrals + sign
            )

    def read_referrer_page(
        self, code: str
    ) -> tuple[Referrer, list[CounterMonth], list[RewardRecord]] | None:
        found = self.read_code(code)
        if found is None:
            return None
        with self._lock:
            return found[0], found[1], self._rewards_of(code)

    def get_conversion(self, program: str, event: str, order_id: str) -> Conversion | None:
        self.requests += 1
        return self._orders.get((program, event, order_id))

    def refund_conversion(
        self,
        refunded: Conversion,
        changes: list[RewardChange],
        messages: tuple[OutboxMessage, ...] = (),
    ) -> bool:
        self.requests += 1
        key = (refunded.program, refunded.event, refunded.order_id)
        with self._lock:
            stored = self._orders.get(key)
            if stored is None or stored.status != "recorded":
                return False
            rejection = self._check_changes(changes)
            if rejection is not None:
                raise EffectsRejectedError(rejection)
            self._orders[key] = replace(
                stored,
                status=refunded.status,
                refunded_at=refunded.refunded_at,
                rewards=refunded.rewards,
            )
            self._count_conversion(refunded, -1)
            self._apply_changes(changes, messages)
        return True

    def set_email_opt_out(self, code: str, opted_out: bool) -> bool:
        self.requests += 1
        with self._lock:
            referrer = self._referrers.get(code)
            if referrer is None:
                return False
            self._referrers[code] = replace(referrer, email_opt_out=opted_out)
            return True

    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        self.requests += 1
        referrer = self._referrers.get(code)
        if referrer is None:
            return None
        with self._lock:
            months = [
                CounterMonth(code, kind, item.split("#")[0], dict(values))
                for (owner, kind, item), values in sorted(self._counters.items())
                if owner == code
            ]
        return referrer, months

    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        self.requests += 1
        ranked = sorted(
            (
                r
                for r in self._referrers.values()
                if r.program == program and r.successful_referrals > 0
            ),
            key=lambda r: -r.successful_referrals,
        )
        return [BoardEntry(r.code, r.name, r.successful_referrals) for r in ranked[:limit]]

    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        self.requests += 1
        above = sum(
            1
            for r in self._referrers.values()
            if r.program == program and r.successful_referrals > successful_referrals
        )
        return min(above, bound)

    def get_admin_key(self, key_hash: str) -> AdminKey | None:
        self.requests += 1
        return self._keys.get(key_hash)

    def put_admin_key(self, key: AdminKey) -> None:
        self.requests += 1
        self._keys[key.key_hash] = key

    def delete_admin_key(self, key_hash: str) -> None:
        self.requests += 1
        self._keys.pop(key_hash, None)


def _add(values: dict[str, Decimal], name: str, amount: Decimal) -> None:
    values[name] = values.get(name, Decimal(0)) + amount


def _month(at: float) -> str:
    return time.strftime("%Y-%m", time.gmtime(at))


def _month_and_day(at: float) -> tuple[str, str]:
    stamp = time.strftime("%Y-%m-%d", time.gmtime(at))
    return stamp[:7], stamp[8:]
