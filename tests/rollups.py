"""Feeding the table's stream (moto's) to the rollup function, as Lambda does deployed."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from chalicelib.api.rollups import roll_up_records
from chalicelib.domain.context import Context
from refkit.devstack.streams import StreamReader


def stream_reader(client: Any, table: str = "refkit-test", start: str = "TRIM_HORIZON") -> Any:
    # botocore would address a stream ARN's account-specific endpoint, which moto does not
    # serve in-process.
    streams = boto3.client(
        "dynamodbstreams",
        region_name="us-east-1",
        config=Config(account_id_endpoint_mode="disabled"),
    )
    return StreamReader(client, streams, table, start)


def roll_up_stream(ctx: Context, reader: StreamReader, batch: int = 100) -> int:
    """Roll every waiting stream record up, `batch` records per delivery."""
    return reader.drain(lambda records: roll_up_records(ctx, records), batch)
