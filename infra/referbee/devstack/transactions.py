"""How the embedded database (moto) rolls a transaction back.

moto keeps a deep copy of every table a TransactWriteItems names, taken before its first
operation, and puts the copy in the table's place when an operation fails. The copy grows
with the table and its stream: under `referbee dev`, whose database serves one request at a
time, every rollup transaction held up every click for as long as copying thousands of items
and stream records took (and a click that waited past its timeout was not answered).

`roll_back_transactions_by_key` keeps moto's transaction code and changes what is kept to
roll back with: the items the transaction's operations name (a transaction touches no other),
as they were, and the length of each table's stream. A transaction that fails puts those
items back (or removes the ones it created) and drops the stream records it added: all or
nothing, as DynamoDB writes a transaction, at the cost of the items it names.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_state = threading.local()  # `by_key`: True while a transaction rolls back by key


@dataclass
class _Journal:
    """What a transaction's rollback needs: (table, hash key, range key, the item before)."""

    items: list[tuple[Any, Any, Any, Any]] = field(default_factory=list)
    streams: dict[int, tuple[Any, int]] = field(default_factory=dict)

    def restore(self) -> None:
        for table, hash_key, range_key, before in reversed(self.items):
            if range_key is None:
                if before is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = before
            elif before is None:
                if hash_key in table.items:
                    table.items[hash_key].pop(range_key, None)
            else:
                table.items[hash_key][range_key] = before
        for shard, length in self.streams.values():
            del shard.items[length:]


def roll_back_transactions_by_key() -> None:
    """Make moto roll cancelled transactions back by the items they name. Idempotent."""
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    backend = models.DynamoDBBackend
    if getattr(backend, "_referbee_by_key", False):
        return
    transact = backend.transact_write_items

    class _TablesUncopied:
        """moto's `copy` module, but a transaction rolling back by key takes no table copy:
        the table itself stands in as its "copy", so putting it back changes nothing."""

        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            if getattr(_state, "by_key", False) and isinstance(value, Table):
                return value
            return copy.deepcopy(value, memo)

    def transact_by_key(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        journal = _journal(self.tables, transact_items)
        if journal is None:  # a request moto refuses before writing: its own way
            return transact(self, transact_items)
        _state.by_key = True
        try:
            return transact(self, transact_items)
        except BaseException:
            journal.restore()
            raise
        finally:
            _state.by_key = False

    module: Any = models  # moto's own names, replaced
    module.copy = _TablesUncopied
    patched: Any = backend
    patched.transact_write_items = transact_by_key
    patched._referbee_by_key = True


def _journal(tables: Mapping[str, Any], transact_items: Sequence[Any]) -> _Journal | None:
    """The items a transaction names, as they are now; None when an operation's table or
    key cannot be read (moto then refuses the request, or rolls it back by its full copy)."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    journal = _Journal()
    try:
        for entry in transact_items:
            if len(entry) != 1:
                return None
            ((kind, op),) = entry.items()
            table = tables.get(op.get("TableName"))
            if table is None:
                continue  # nothing of it to change, nor to roll back
            key = op["Item"] if kind == "Put" else op["Key"]
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            before = table.get_item(hash_key, range_key)
            journal.items.append((table, hash_key, range_key, copy.deepcopy(before)))
            if table.stream_shard is not None:
                journal.streams[id(table)] = (table.stream_shard, len(table.stream_shard.items))
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    return journal
