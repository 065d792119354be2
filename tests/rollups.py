"""Feeding the table's stream (moto's) to the rollup function, as Lambda does deployed."""

from __future__ import annotations

from chalicelib.api.rollups import roll_up_records
from chalicelib.domain.context import Context
from referbee.devstack.db import copy_tables_once_per_transaction
from referbee.devstack.streams import StreamReader


def stream_reader(table: str = "referbee-test", start: str = "TRIM_HORIZON") -> StreamReader:
    copy_tables_once_per_transaction()
    return StreamReader(table, start=start)


def roll_up_stream(ctx: Context, reader: StreamReader, batch: int = 100) -> int:
    """Roll every waiting stream record up, `batch` records per delivery."""
    return reader.drain(lambda records: roll_up_records(ctx, records), batch)
