"""The rollup function: every write to the table reaches it through the table's stream
(DynamoDB Streams, NEW_AND_OLD_IMAGES), in batches, and it adds them to the programs' daily
rollups (domain/analytics/rollups.py), off the request path. `referbee dev` feeds the same
`roll_up_records` from a poller of its embedded database's stream.

Chalice deploys a function for every event source the app has, so the function exists where
the app is subscribed to a stream: `create_app` subscribes it when REFERBEE_STREAM_ARN is set
(in Lambda), and `referbee deploy`/`referbee package` subscribe the app they load to the stage's
stream, whatever the process imported before."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from chalice.app import Blueprint, Chalice, DynamoDBEvent, EventSourceHandler

from ..domain.analytics.rollups import roll_up
from ..domain.context import Context
from ..observability import logger, metrics
from ..store.stream import change_batch
from .deps import context

FUNCTION = "rollups"  # Chalice's name for the function; it deploys as "<app>-<stage>-rollups"
BATCH_SIZE = 1000
# Lambda waits up to this long to fill a batch. Every batch costs an invocation, a marker
# read and a transaction (docs/data-model.md), so waiting bounds the rollups' cost at quiet
# times to about one batch a minute per stream shard, whatever the clicks; at busy times
# batches fill to 1,000 records first. The price: the numbers are up to a minute behind.
BATCHING_WINDOW_SECONDS = 60
STARTING_POSITION = "TRIM_HORIZON"


def roll_up_records(ctx: Context, records: Sequence[Mapping[str, Any]]) -> int:
    """Add a batch of stream records to the rollups; how many were applied now."""
    batch = change_batch(records)
    applied = roll_up(ctx, batch) if batch is not None else 0
    if applied:
        logger.debug("rolled up", extra={"records": len(records), "applied": applied})
    return applied


def _roll_up_stream(event: DynamoDBEvent) -> None:
    """A failure raises: Lambda delivers the same batch again, and its marker makes the
    second delivery add only what the first did not."""
    applied = roll_up_records(context(), event.to_dict()["Records"])
    metrics.add_metric(name="RecordsRolledUp", unit="Count", value=applied)
    # The app's middleware flushes metrics after HTTP requests; this is not one.
    if os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() == "true":
        metrics.clear_metrics()
    else:
        metrics.flush_metrics()


# Chalice names the function's Lambda handler "<module>.<name of the decorated function>";
# that name must find the wrapper below, which Lambda calls with (event, context).
_roll_up_stream.__name__ = _roll_up_stream.__qualname__ = "rollup_stream"
rollup_stream = EventSourceHandler(_roll_up_stream, DynamoDBEvent)


def subscribe(app: Chalice, stream_arn: str) -> None:
    """Make `app` deploy the rollup function fed by `stream_arn` (replacing any earlier
    subscription, so an app loaded once and deployed to two stages gets each its own)."""
    if not stream_arn:
        raise ValueError("the rollup function needs the table's stream ARN")
    app.event_sources[:] = [s for s in app.event_sources if s.name != FUNCTION]
    stream = Blueprint(__name__)
    stream.on_dynamodb_record(
        stream_arn=stream_arn,
        batch_size=BATCH_SIZE,
        starting_position=STARTING_POSITION,
        maximum_batching_window_in_seconds=BATCHING_WINDOW_SECONDS,
        name=FUNCTION,
    )(_roll_up_stream)
    app.register_blueprint(stream)
