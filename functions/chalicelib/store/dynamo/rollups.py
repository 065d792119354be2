"""Program rollups in DynamoDB: one item per program and day and one of totals, each code's
last active day, and each stream batch's marker; a run of stream records is applied in one
transaction, and a program's period read in one Query."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ...model.analytics import ProgramRollups, RollupConflictError, RollupWrite
from ...model.errors import UnavailableError
from .. import keys
from ..attrs import Item, Write, WriteUpdate, n, numbers, s, text, unavailable_on_failure
from .shared import Table, failed, passed


class DynamoRollups:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def rollup_marker(self, batch_id: str) -> str | None:
        item = self._table.get(keys.key(keys.stream_batch_pk(batch_id), keys.META), consistent=True)
        return text(item, "last") if item else None

    @unavailable_on_failure
    def active_days(self, codes: list[str]) -> dict[str, str]:
        """Each code's last day with a click, as the rollups recorded it (absent: none)."""
        wanted = [keys.key(keys.code_pk(code), keys.ACTIVE) for code in dict.fromkeys(codes)]
        items = self._table.batch_get(wanted, consistent=True)
        return {keys.code_of(text(item, "PK")) or "": text(item, "day") for item in items}

    @unavailable_on_failure
    def apply_rollup(self, write: RollupWrite) -> None:
        """One transaction: the marker moves, the additions land, the codes' active days move;
        RollupConflictError when the marker or an active day was not where it was read."""
        writes: list[Write] = [{"Update": self._marker_update(write)}]
        for (program, day), adds in sorted(write.days.items()):
            writes += self._rollup_additions(program, day, adds)
        for program, adds in sorted(write.totals.items()):
            writes += self._rollup_additions(program, None, adds)
        for move in write.active:
            writes.append({"Update": self._active_update(move.code, move.day, move.before)})
        for (program, code, month), adds in sorted(write.clicks.items()):
            writes += self._code_additions(program, code, month, adds)
        reasons = self._table.transact(writes)
        if any(failed(reason) for reason in reasons):
            raise RollupConflictError(write.batch_id)
        refused = [reason.get("Code") for reason in reasons if not passed(reason)]
        if refused:
            raise UnavailableError(f"The database refused the rollup ({refused[0]}); try again.")

    @unavailable_on_failure
    def read_rollups(self, program: str, since_day: str) -> ProgramRollups:
        items = self._table.query(
            "PK = :pk AND SK >= :since",
            {":pk": s(keys.rollup_pk(program)), ":since": s(keys.rollup_day_sk(since_day))},
        )
        days: dict[str, dict[str, Decimal]] = {}
        total: dict[str, Decimal] = {}
        for item in items:
            sk, day = text(item, "SK"), keys.rollup_day_of(text(item, "SK"))
            if sk == keys.ROLLUP_TOTAL:
                total = numbers(item)
            elif day is not None:
                days[day] = numbers(item)
        return ProgramRollups(days, total)

    def _marker_update(self, write: RollupWrite) -> WriteUpdate:
        values: Item = {":last": s(write.last), ":expires": n(int(write.expires_at))}
        condition = "attribute_not_exists(PK)"
        if write.after is not None:
            condition = "#last = :after"
            values[":after"] = s(write.after)
        return {
            "TableName": self._table.name,
            "Key": keys.key(keys.stream_batch_pk(write.batch_id), keys.META),
            "UpdateExpression": f"SET #last = :last, {keys.TTL_ATTRIBUTE} = :expires",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#last": "last"},
            "ExpressionAttributeValues": values,
        }

    def _code_additions(
        self, program: str, code: str, month: str, adds: Mapping[str, Decimal]
    ) -> list[Write]:
        """ADD a batch's clicks to a code's counters of the month (the rollups' own item)."""
        key = keys.key(keys.code_pk(code), keys.clicks_sk(month))
        return self._additions(program, key, adds)

    def _rollup_additions(
        self, program: str, day: str | None, adds: Mapping[str, Decimal]
    ) -> list[Write]:
        """ADD to a program's rollup of a day (None: its totals)."""
        sk = keys.rollup_day_sk(day) if day is not None else keys.ROLLUP_TOTAL
        return self._additions(program, keys.key(keys.rollup_pk(program), sk), adds)

    def _additions(self, program: str, key: Item, adds: Mapping[str, Decimal]) -> list[Write]:
        """ADD every non-zero addition to one item of `program` (none: no item at all)."""
        pairs = [(name, value) for name, value in sorted(adds.items()) if value]
        if not pairs:
            return []
        values: Item = {f":v{i}": n(value) for i, (_, value) in enumerate(pairs)}
        values[":program"] = s(program)
        additions = ", ".join(f"#a{i} :v{i}" for i in range(len(pairs)))
        update: WriteUpdate = {
            "TableName": self._table.name,
            "Key": key,
            "UpdateExpression": f"SET program = :program ADD {additions}",
            "ExpressionAttributeNames": {f"#a{i}": name for i, (name, _) in enumerate(pairs)},
            "ExpressionAttributeValues": values,
        }
        return [{"Update": update}]

    def _active_update(self, code: str, day: str, before: str | None) -> WriteUpdate:
        values: Item = {":day": s(day)}
        condition = "attribute_not_exists(#day)"
        if before is not None:
            condition = "#day = :before"
            values[":before"] = s(before)
        return {
            "TableName": self._table.name,
            "Key": keys.key(keys.code_pk(code), keys.ACTIVE),
            "UpdateExpression": "SET #day = :day",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#day": "day"},
            "ExpressionAttributeValues": values,
        }
