"""Referrers in memory: by code, the email index (a copy made when they join, as DynamoDB's),
their counter items, the program listing and the ranking."""

from __future__ import annotations

from dataclasses import replace

from ...model.analytics import Page
from ...model.errors import CodeTakenError, ReferrerExistsError
from ...model.ledger import LimitedMessage, RewardRecord
from ...model.records import BoardEntry, CounterMonth, Referrer
from .. import keys, rules
from .metering import metered
from .shared import State, page, take_tally


@metered
class MemoryReferrers:
    def __init__(self, state: State) -> None:
        self._state = state

    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        code = self._state.emails.get((program, email_key))
        referrer = self._state.referrers.get(code) if code else None
        # The email index holds a copy made at creation, as in the DynamoDB twin.
        return replace(referrer, successful_referrals=0, email_opt_out=False) if referrer else None

    def create_referrer(self, referrer: Referrer, mail: LimitedMessage | None = None) -> bool:
        with self._state.lock:
            if (referrer.program, referrer.email_key) in self._state.emails:
                raise ReferrerExistsError("a referrer with this email already exists")
            if referrer.code in self._state.referrers:
                raise CodeTakenError("code already taken")
            self._state.emails[(referrer.program, referrer.email_key)] = referrer.code
            self._state.referrers[referrer.code] = referrer
            if mail is None or not take_tally(self._state, mail.tally):
                return False
            self._state.outbox[(mail.message.event_id, mail.message.target)] = mail.message
            return True

    def rotate_token(self, referrer: Referrer) -> bool:
        with self._state.lock:
            stored = self._state.referrers.get(referrer.code)
            if stored is None or stored.token_version != referrer.token_version:
                return False
            self._state.referrers[referrer.code] = replace(
                stored, token_version=stored.token_version + 1
            )
            return True

    def get_referrer(self, code: str) -> Referrer | None:
        return self._state.referrers.get(code)

    def get_referrers(self, codes: list[str]) -> dict[str, Referrer]:
        with self._state.lock:
            known = self._state.referrers
            return {code: known[code] for code in codes if code in known}

    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        referrer = self._state.referrers.get(code)
        return (referrer, self._months(code, "", "~")) if referrer else None

    def read_referrer_page(
        self, code: str
    ) -> tuple[Referrer, list[CounterMonth], list[RewardRecord]] | None:
        referrer = self._state.referrers.get(code)
        if referrer is None:
            return None
        with self._state.lock:
            rewards = [r for (owner, _), r in self._state.rewards.items() if owner == code]
        return referrer, self._months(code, "", "~"), sorted(rewards, key=lambda r: r.reward_id)

    def read_counters(self, code: str, first_month: str, last_month: str) -> list[CounterMonth]:
        return self._months(code, first_month, last_month)

    def set_email_opt_out(self, code: str, opted_out: bool) -> bool:
        with self._state.lock:
            referrer = self._state.referrers.get(code)
            if referrer is None:
                return False
            self._state.referrers[code] = replace(referrer, email_opt_out=opted_out)
            return True

    def list_referrers(self, program: str, limit: int, after: str | None) -> Page[Referrer]:
        with self._state.lock:
            mine = [r for r in self._state.referrers.values() if r.program == program]
        return page(mine, rules.referrer_order, limit, after)

    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        with self._state.lock:
            ranked = [
                r
                for r in self._state.referrers.values()
                if r.program == program and r.successful_referrals > 0
            ]
        ranked.sort(key=lambda r: -r.successful_referrals)
        return [BoardEntry(r.code, r.name, r.successful_referrals) for r in ranked[:limit]]

    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        with self._state.lock:
            above = [
                r
                for r in self._state.referrers.values()
                if r.program == program and r.successful_referrals > successful_referrals
            ]
        return min(len(above), bound)

    def _months(self, code: str, first_month: str, last_month: str) -> list[CounterMonth]:
        """A code's counter items of these months, in their sort keys' order."""
        months: list[CounterMonth] = []
        with self._state.lock:
            for (owner, sk), values in sorted(self._state.counters.items()):
                counter = keys.counter_of(sk)
                if owner == code and counter and first_month <= counter[1] <= last_month:
                    months.append(CounterMonth(code, counter[0], counter[1], dict(values)))
        return months
