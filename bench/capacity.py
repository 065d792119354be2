"""Capacity units per request, computed from real item sizes with DynamoDB's published rules.

moto reports fixed capacity numbers, so this meter reads the items each request touches
(before and after, with a second client that is not metered) and applies the pricing rules:
- a write costs ceil(size / 1 KB) write units, size being the larger of the item before and
  after; a failed conditional write still costs what it would have written (at least 1);
- each global secondary index the write changes costs its own write units (2 when the
  index key changes: a delete and a put);
- a read costs ceil(size / 4 KB) read units, halved when eventually consistent; a Query
  sums the sizes of the items it returns; nothing found still costs the minimum;
- a transaction costs twice the units of its items.
Item sizes follow the documented formula (attribute name lengths plus value sizes; numbers
about one byte per two significant digits plus one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

INDEX_KEYS = {"GSI1": ("GSI1PK", "GSI1SK"), "GSI2": ("GSI2PK", "successful_referrals")}


@dataclass
class Units:
    read: float = 0.0
    write: float = 0.0


@dataclass
class CapacityMeter:
    """Registers on a metered client; `units` accumulates until `reset()`."""

    client: Any
    reader: Any  # an unmetered client on the same endpoint
    table: str
    units: Units = field(default_factory=Units)
    _before: list[tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    _params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client.meta.events.register("before-parameter-build.dynamodb", self._before_call)
        self.client.meta.events.register("after-call.dynamodb", self._after_call)

    def reset(self) -> Units:
        spent, self.units = self.units, Units()
        return spent

    def _before_call(self, model: Any, params: dict[str, Any], **kwargs: Any) -> None:
        self._params = params
        self._before = [(key, self._get(key)) for key in _written_keys(model.name, params)]

    def _after_call(self, model: Any, parsed: dict[str, Any], **kwargs: Any) -> None:
        name, params = model.name, self._params
        failed = "Error" in parsed
        if name in ("GetItem",):
            size = item_size(parsed.get("Item") or {})
            self.units.read += _read_units(size, params.get("ConsistentRead", False))
        elif name == "Query":
            size = sum(item_size(item) for item in parsed.get("Items", []))
            self.units.read += _read_units(size, params.get("ConsistentRead", False))
        elif self._before:
            factor = 2 if name == "TransactWriteItems" else 1
            for key, before in self._before:
                after = self._get(key)
                self.units.write += factor * _write_units(before, None if failed else after)
        self._before = []

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        item: dict[str, Any] | None = self.reader.get_item(
            TableName=self.table, Key=key, ConsistentRead=True
        ).get("Item")
        return item


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: dict[str, Any]) -> int:
    kind, content = next(iter(value.items()))
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        digits = len(content.lstrip("-").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in content)
    if kind == "NS":
        return sum(_value_size({"N": n}) for n in content)
    if kind == "L":
        return 3 + sum(1 + _value_size(v) for v in content)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + _value_size(v) for k, v in content.items())
    return len(content) if isinstance(content, bytes | str) else 1


def _read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def _write_units(before: dict[str, Any] | None, after: dict[str, Any] | None) -> float:
    size = max(item_size(before or {}), item_size(after or {}))
    units = float(max(1, math.ceil(size / 1024)))
    if after is None:  # the condition failed: nothing was written, indexes untouched
        return units
    for keys in INDEX_KEYS.values():
        old = tuple(str((before or {}).get(k)) for k in keys)
        new = tuple(str(after.get(k)) for k in keys)
        in_old = all(k in (before or {}) for k in keys)
        in_new = all(k in after for k in keys)
        if not (in_old or in_new):
            continue
        index_units = max(1, math.ceil(item_size(after) / 1024))
        if in_old and in_new and old != new:
            units += 2 * index_units  # the index entry moves: delete + put
        elif in_new and (not in_old or before != after):
            units += index_units
    return units


def _written_keys(operation: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    def key_of(request: dict[str, Any]) -> dict[str, Any]:
        source = request.get("Key") or request.get("Item") or {}
        return {"PK": source["PK"], "SK": source["SK"]}

    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return [key_of(params)]
    if operation == "TransactWriteItems":
        # A ConditionCheck is billed like a write of the item it checks.
        return [key_of(next(iter(entry.values()))) for entry in params["TransactItems"]]
    if operation == "BatchWriteItem":
        return [
            key_of(next(iter(w.values()))) for ws in params["RequestItems"].values() for w in ws
        ]
    return []
