"""Program analytics' part of DynamoStore: rollup writes (one transaction per run of stream
records), rollup reads (one Query per program and period), and the listings the exports page
through. docs/data-model.md lists the items and access patterns."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..model.analytics import Page, ProgramRollups, RollupConflictError, RollupWrite
from ..model.clock import iso
from ..model.errors import InvalidInputError, UnavailableError
from ..model.ledger import RewardRecord
from ..model.records import CLICKS, CONVERSIONS, Conversion, CounterMonth, Referrer
from . import keys
from .attrs import Item, n, s, unavailable_on_failure
from .dynamo_ledger import reward_from_item
from .items import conversion_from_item, referrer_from_item

_PAGE_KEYS = ("PK", "SK", "GSI1PK", "GSI1SK")


class DynamoAnalytics:
    _client: Any
    _table: str

    def _cancellation_reasons(self, items: list[Item]) -> list[Item]:
        raise NotImplementedError  # pragma: no cover - DynamoStore's

    @unavailable_on_failure
    def rollup_marker(self, batch_id: str) -> str | None:
        response = self._client.get_item(
            TableName=self._table,
            Key={"PK": s(keys.stream_batch_pk(batch_id)), "SK": s(keys.META)},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return str(item["last"]["S"]) if item else None

    @unavailable_on_failure
    def active_days(self, codes: list[str]) -> dict[str, str]:
        """Each code's last day with a click, as the rollups recorded it (absent: none)."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(codes))
        for start in range(0, len(unique), 100):
            wanted = [
                {"PK": s(keys.code_pk(code)), "SK": s(keys.ACTIVE)}
                for code in unique[start : start + 100]
            ]
            request: Item = {self._table: {"Keys": wanted, "ConsistentRead": True}}
            while request:
                page = self._client.batch_get_item(RequestItems=request)
                for item in page["Responses"].get(self._table, []):
                    found[item["PK"]["S"].removeprefix("CODE#")] = item["day"]["S"]
                request = page.get("UnprocessedKeys") or {}
        return found

    @unavailable_on_failure
    def apply_rollup(self, write: RollupWrite) -> None:
        """One transaction: the marker moves, the additions land, the codes' active days move;
        RollupConflictError when the marker or an active day was not where it was read."""
        items = [_marker_item(self._table, write)]
        for (program, day), adds in sorted(write.days.items()):
            items += _add_item(self._table, program, keys.rollup_day_sk(day), adds)
        for program, adds in sorted(write.totals.items()):
            items += _add_item(self._table, program, keys.ROLLUP_TOTAL, adds)
        for move in write.active:
            items.append(_active_item(self._table, move.code, move.day, move.before))
        reasons = self._cancellation_reasons(items)
        codes = [reason.get("Code") or "None" for reason in reasons]
        if "ConditionalCheckFailed" in codes:
            raise RollupConflictError(write.batch_id)
        failed = [code for code in codes if code != "None"]
        if failed:
            raise UnavailableError(f"The database refused the rollup ({failed[0]}); try again.")

    @unavailable_on_failure
    def read_rollups(self, program: str, since_day: str) -> ProgramRollups:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK >= :since",
            ExpressionAttributeValues={
                ":pk": s(keys.rollup_pk(program)),
                ":since": s(keys.rollup_day_sk(since_day)),
            },
        )
        days: dict[str, dict[str, Decimal]] = {}
        total: dict[str, Decimal] = {}
        for item in items:
            sk = item["SK"]["S"]
            values = {k: Decimal(v["N"]) for k, v in item.items() if "N" in v}
            if sk == keys.ROLLUP_TOTAL:
                total = values
            elif sk.startswith("DAY#"):
                days[sk.removeprefix("DAY#")] = values
        return ProgramRollups(days, total)

    @unavailable_on_failure
    def read_counters(self, code: str, first_month: str, last_month: str) -> list[CounterMonth]:
        """A code's counter months from `first_month` to `last_month`, in one Query over the
        adjacent CLICKS# and CONV# items (neither its rewards nor anything else)."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues={
                ":pk": s(keys.code_pk(code)),
                ":low": s(keys.clicks_sk(first_month)),
                ":high": s(keys.conversions_sk(last_month) + "~"),
            },
        )
        months: list[CounterMonth] = []
        for item in items:
            prefix, _, rest = item["SK"]["S"].partition("#")
            month = rest.split("#")[0]
            if first_month <= month <= last_month:
                kind = CLICKS if prefix == "CLICKS" else CONVERSIONS
                values = {k: Decimal(v["N"]) for k, v in item.items() if "N" in v}
                months.append(CounterMonth(code, kind, month, values))
        return months

    @unavailable_on_failure
    def get_referrers(self, codes: list[str]) -> dict[str, Referrer]:
        found: dict[str, Referrer] = {}
        unique = list(dict.fromkeys(codes))
        for start in range(0, len(unique), 100):
            wanted = [{"PK": s(keys.code_pk(c)), "SK": s(keys.META)} for c in unique[start:][:100]]
            request: Item = {self._table: {"Keys": wanted}}
            while request:
                page = self._client.batch_get_item(RequestItems=request)
                for item in page["Responses"].get(self._table, []):
                    referrer = referrer_from_item(item)
                    found[referrer.code] = referrer
                request = page.get("UnprocessedKeys") or {}
        return found

    @unavailable_on_failure
    def list_referrers(self, program: str, limit: int, after: str | None) -> Page[Referrer]:
        items, position = self._gsi1_page(keys.program_referrers_gsi(program), None, limit, after)
        return Page([referrer_from_item(item) for item in items], position)

    @unavailable_on_failure
    def list_conversions(
        self, program: str, since: float, until: float, limit: int, after: str | None
    ) -> Page[Conversion]:
        items, position = self._gsi1_page(
            keys.program_conversions_gsi(program), (iso(since), iso(until) + "~"), limit, after
        )
        return Page([conversion_from_item(item) for item in items], position)

    @unavailable_on_failure
    def page_rewards(
        self, program: str, status: str, limit: int, after: str | None
    ) -> Page[RewardRecord]:
        items, position = self._gsi1_page(
            keys.program_rewards_gsi(program, status), None, limit, after
        )
        return Page([reward_from_item(item) for item in items], position)

    def _gsi1_page(
        self, partition: str, between: tuple[str, str] | None, limit: int, after: str | None
    ) -> tuple[list[Item], str | None]:
        condition = "GSI1PK = :pk"
        values: Item = {":pk": s(partition)}
        if between is not None:
            condition += " AND GSI1SK BETWEEN :low AND :high"
            values.update({":low": s(between[0]), ":high": s(between[1])})
        request: Item = {
            "TableName": self._table,
            "IndexName": "GSI1",
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "Limit": limit,
        }
        if after is not None:
            request["ExclusiveStartKey"] = _start_key(after, partition)
        page = self._client.query(**request)
        last = page.get("LastEvaluatedKey")
        position = json.dumps({k: last[k]["S"] for k in _PAGE_KEYS}) if last else None
        return list(page["Items"]), position

    def _query_all(self, **request: Any) -> list[Item]:
        request["TableName"] = self._table
        items: list[Item] = []
        while True:
            page = self._client.query(**request)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _start_key(after: str, partition: str) -> Item:
    try:
        raw = json.loads(after)
    except ValueError:
        raw = None
    valid = (
        isinstance(raw, dict)
        and set(raw) == set(_PAGE_KEYS)
        and all(isinstance(value, str) and 0 < len(value) <= 1024 for value in raw.values())
        and raw["GSI1PK"] == partition
    )
    if not valid:
        raise InvalidInputError("The cursor does not belong to this listing.")
    return {name: s(value) for name, value in raw.items()}


def _marker_item(table: str, write: RollupWrite) -> Item:
    values: Item = {":last": s(write.last), ":expires": n(int(write.expires_at))}
    condition = "attribute_not_exists(PK)"
    if write.after is not None:
        condition = "#last = :after"
        values[":after"] = s(write.after)
    return {
        "Update": {
            "TableName": table,
            "Key": {"PK": s(keys.stream_batch_pk(write.batch_id)), "SK": s(keys.META)},
            "UpdateExpression": "SET #last = :last, expires_at = :expires",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#last": "last"},
            "ExpressionAttributeValues": values,
        }
    }


def _add_item(table: str, program: str, sk: str, adds: Any) -> list[Item]:
    """ADD every non-zero addition to one rollup item (none: no item at all)."""
    pairs = [(name, value) for name, value in sorted(adds.items()) if value]
    if not pairs:
        return []
    names = {f"#a{i}": name for i, (name, _) in enumerate(pairs)}
    values: Item = {f":v{i}": n(value) for i, (_, value) in enumerate(pairs)}
    values[":program"] = s(program)
    additions = ", ".join(f"#a{i} :v{i}" for i in range(len(pairs)))
    return [
        {
            "Update": {
                "TableName": table,
                "Key": {"PK": s(keys.rollup_pk(program)), "SK": s(sk)},
                "UpdateExpression": f"SET program = :program ADD {additions}",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }
    ]


def _active_item(table: str, code: str, day: str, before: str | None) -> Item:
    values: Item = {":day": s(day)}
    condition = "attribute_not_exists(#day)"
    if before is not None:
        condition = "#day = :before"
        values[":before"] = s(before)
    return {
        "Update": {
            "TableName": table,
            "Key": {"PK": s(keys.code_pk(code)), "SK": s(keys.ACTIVE)},
            "UpdateExpression": "SET #day = :day",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#day": "day"},
            "ExpressionAttributeValues": values,
        }
    }
