"""The rollup function: every write to the table reaches it through the table's stream
(DynamoDB Streams, NEW_AND_OLD_IMAGES), in batches, and it adds them to the programs' daily
rollups (domain/rollups.py), off the request path. Deployed, the stream's ARN comes from
REFKIT_STREAM_ARN when the app is loaded; `refkit dev` feeds the same `roll_up_records` from
a poller of its embedded database's stream."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from chalice.app import Blueprint, DynamoDBEvent

from ..domain.context import Context
from ..domain.rollups import roll_up
from ..observability import logger, metrics
from ..settings import Settings
from ..store.stream import change_batch
from .deps import context

bp = Blueprint(__name__)

BATCH_SIZE = 1000
BATCHING_WINDOW_SECONDS = 1


def roll_up_records(ctx: Context, records: Sequence[Mapping[str, Any]]) -> int:
    """Add a batch of stream records to the rollups; how many were applied now."""
    batch = change_batch(records)
    applied = roll_up(ctx, batch) if batch is not None else 0
    if applied:
        logger.debug("rolled up", extra={"records": len(records), "applied": applied})
    return applied


def rollup_stream(event: DynamoDBEvent) -> None:
    """A failure raises: Lambda delivers the same batch again, and its marker makes the
    second delivery add only what the first did not."""
    applied = roll_up_records(context(), event.to_dict()["Records"])
    metrics.add_metric(name="RecordsRolledUp", unit="Count", value=applied)
    # The app's middleware flushes metrics after HTTP requests; this is not one.
    if os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() == "true":
        metrics.clear_metrics()
    else:
        metrics.flush_metrics()


_STREAM_ARN = Settings.from_env().stream_arn
if _STREAM_ARN:
    bp.on_dynamodb_record(
        stream_arn=_STREAM_ARN,
        batch_size=BATCH_SIZE,
        starting_position="TRIM_HORIZON",
        maximum_batching_window_in_seconds=BATCHING_WINDOW_SECONDS,
        name="rollups",
    )(rollup_stream)
