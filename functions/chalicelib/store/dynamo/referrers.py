"""Referrers in DynamoDB: the code item (META) with its counter months and rewards under the
same partition, the email index, the program listing (GSI1) and the ranking (GSI2)."""

from __future__ import annotations

from ...model.analytics import Page
from ...model.errors import CodeTakenError, ReferrerExistsError
from ...model.ledger import LimitedMessage, RewardRecord
from ...model.records import BoardEntry, CounterMonth, Referrer
from .. import keys
from ..attrs import Item, b, integer, n, numbers, s, text, unavailable_on_failure
from ..items import email_index_item, referrer_from_item, referrer_item, reward_from_item
from .outbox import mail_writes
from .shared import EXISTS, NEW, Condition, Table, failed


class DynamoReferrers:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        item = self._table.get(
            keys.key(keys.email_pk(program, email_key), keys.META), consistent=consistent
        )
        return referrer_from_item(item) if item else None

    @unavailable_on_failure
    def create_referrer(self, referrer: Referrer, mail: LimitedMessage | None = None) -> bool:
        """One transaction: the email index and the referrer (both new), and the mail with
        its tally when there is one; a tally at its limit makes a second one without them."""
        writes = [
            self._table.put(email_index_item(referrer), NEW),
            self._table.put(referrer_item(referrer), NEW),
        ]
        if mail is not None:
            writes += mail_writes(self._table, mail)
        by_email, code, *counted = self._table.transact(writes)
        if failed(by_email):
            raise ReferrerExistsError("a referrer with this email already exists")
        if failed(code):
            raise CodeTakenError("code already taken")
        if counted and failed(counted[0]):
            return self.create_referrer(referrer)
        return bool(counted)

    @unavailable_on_failure
    def rotate_token(self, referrer: Referrer) -> bool:
        """Both copies of the referrer move to the next version in one transaction, each on
        condition that it holds the version read (a forgotten referrer has no index)."""
        version = Condition("token_version = :was", values={":was": n(referrer.token_version)})
        keys_of = [keys.key(keys.code_pk(referrer.code), keys.META)]
        if referrer.email_key:
            keys_of.append(keys.key(keys.email_pk(referrer.program, referrer.email_key), keys.META))
        reasons = self._table.transact(
            [
                self._table.update_write(key, "ADD token_version :one", {":one": n(1)}, version)
                for key in keys_of
            ]
        )
        return not any(failed(reason) for reason in reasons)

    @unavailable_on_failure
    def get_referrer(self, code: str) -> Referrer | None:
        item = self._table.get(keys.key(keys.code_pk(code), keys.META), clicks=True)
        return referrer_from_item(item) if item else None

    @unavailable_on_failure
    def get_referrers(self, codes: list[str]) -> dict[str, Referrer]:
        wanted = [keys.key(keys.code_pk(code), keys.META) for code in dict.fromkeys(codes)]
        found = [referrer_from_item(item) for item in self._table.batch_get(wanted)]
        return {referrer.code: referrer for referrer in found}

    @unavailable_on_failure
    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        found = self._read_code_items(code)
        return (found[0], found[1]) if found else None

    @unavailable_on_failure
    def read_referrer_page(
        self, code: str
    ) -> tuple[Referrer, list[CounterMonth], list[RewardRecord]] | None:
        """What a stats view needs, in the same single query as read_code: the referrer, its
        counter months and its rewards."""
        found = self._read_code_items(code)
        if found is None:
            return None
        referrer, months, others = found
        rewards = [reward_from_item(item) for item in others if keys.is_reward(text(item, "SK"))]
        return referrer, months, rewards

    @unavailable_on_failure
    def read_counters(self, code: str, first_month: str, last_month: str) -> list[CounterMonth]:
        """A code's counter months from `first_month` to `last_month`, in one Query over the
        adjacent click and conversion items (neither its rewards nor anything else)."""
        low, high = keys.counters_range(first_month, last_month)
        items = self._table.query(
            "PK = :pk AND SK BETWEEN :low AND :high",
            {":pk": s(keys.code_pk(code)), ":low": s(low), ":high": s(high)},
        )
        months = [_counter_month(code, item) for item in items]
        return [m for m in months if m is not None and first_month <= m.month <= last_month]

    @unavailable_on_failure
    def set_email_opt_out(self, code: str, opted_out: bool) -> bool:
        """Record a referrer's choice about reward emails; False for an unknown code."""
        done = self._table.update(
            keys.key(keys.code_pk(code), keys.META),
            "SET email_opt_out = :out",
            {":out": b(opted_out)},
            condition=EXISTS.expression,
        )
        return done is not None

    @unavailable_on_failure
    def list_referrers(self, program: str, limit: int, after: str | None) -> Page[Referrer]:
        partition = keys.program_referrers_gsi(program)
        items, following = self._table.listing_page(partition, limit, after)
        return Page([referrer_from_item(item) for item in items], following)

    @unavailable_on_failure
    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        items = self._table.query(
            f"GSI2PK = :board AND {keys.SUCCESS_COUNT} > :none",
            {":board": s(keys.program_board_gsi(program)), ":none": n(0)},
            index=keys.GSI2,
            limit=limit,
            newest_first=True,
        )
        return [
            BoardEntry(text(item, "code"), text(item, "name"), integer(item, keys.SUCCESS_COUNT))
            for item in items
        ]

    @unavailable_on_failure
    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        # One page at most: `bound` index entries of ~100 bytes are far below the 1 MB page.
        return self._table.count(
            f"GSI2PK = :board AND {keys.SUCCESS_COUNT} > :mine",
            {":board": s(keys.program_board_gsi(program)), ":mine": n(successful_referrals)},
            index=keys.GSI2,
            limit=bound,
        )

    def _read_code_items(self, code: str) -> tuple[Referrer, list[CounterMonth], list[Item]] | None:
        """The referrer, its counter months and its other items (rewards), in one query."""
        items = self._table.query("PK = :pk", {":pk": s(keys.code_pk(code))})
        referrer: Referrer | None = None
        months: list[CounterMonth] = []
        others: list[Item] = []
        for item in items:
            month = _counter_month(code, item)
            if month is not None:
                months.append(month)
            elif text(item, "SK") == keys.META:
                referrer = referrer_from_item(item)
            else:
                others.append(item)
        return (referrer, months, others) if referrer else None


def _counter_month(code: str, item: Item) -> CounterMonth | None:
    counter = keys.counter_of(text(item, "SK"))
    return CounterMonth(code, counter[0], counter[1], numbers(item)) if counter else None
