"""Feeding the table's stream (moto's) to the rollup function, as Lambda does deployed, and the
in-memory twin's change feed to the same rollups."""

from __future__ import annotations

from chalicelib.api import deps
from chalicelib.api.rollups import roll_up_records
from chalicelib.domain.analytics.rollups import roll_up
from chalicelib.domain.context import Context
from chalicelib.store.memory import MemoryStore
from referbee.devstack.streams import StreamReader
from referbee.devstack.transactions import roll_back_transactions_by_key


def stream_reader(table: str = "referbee-test", start: str = "TRIM_HORIZON") -> StreamReader:
    roll_back_transactions_by_key()
    return StreamReader(table, start=start)


def roll_up_stream(ctx: Context, reader: StreamReader, batch: int = 100) -> int:
    """Roll every waiting stream record up, `batch` records per delivery."""
    return reader.drain(lambda records: roll_up_records(ctx, records), batch)


def settle(ctx: Context | None = None, table: str = "referbee-test") -> int:
    """Deliver every change waiting on the store's stream to the rollups (which count clicks),
    as the rollup function does within its batching window deployed; how many were applied.
    The DynamoDB twin's changes are moto's stream records; the in-memory twin's, its feed.
    Without a context, the API's (the `api` fixture's)."""
    ctx = ctx or deps.context()
    store = ctx.store
    if isinstance(store, MemoryStore):
        batch = store.take_changes()
        return roll_up(ctx, batch) if batch is not None else 0
    applied = 0

    def handle(records: list[dict[str, object]]) -> None:
        nonlocal applied
        applied += roll_up_records(ctx, records)

    stream_reader(table).drain(handle, 1000)
    return applied
