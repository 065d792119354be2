"""`referbee dev`'s stand-in for the stream event source (moto cannot run Lambda): reads the
embedded database's table stream and hands the records, in the shape Lambda delivers them,
to the same `roll_up_records` the deployed rollup function runs.

The embedded database is moto in this process, so its stream is read in place: through its
HTTP API, moto spent seconds serializing every thousand records, under the lock that every
API request waits for. Records that were handled are then forgotten, as DynamoDB forgets
them after 24 hours (moto would keep them all).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

Records = list[dict[str, Any]]


class StreamReader:
    """`start="LATEST"` skips what the stream already holds (e.g. a restored snapshot).
    `lock`: held while the stream is read or trimmed (the embedded database's request lock)."""

    def __init__(
        self,
        table: str,
        *,
        start: str = "TRIM_HORIZON",
        lock: threading.Lock | None = None,
        region: str = "us-east-1",
    ) -> None:
        self._table, self._region, self._lock = table, region, lock
        self._last: int | None = None
        if start == "LATEST":
            with self._locked():
                shard = self._shard()
                self._last = shard.starting_sequence_number + len(shard.items) - 1

    def read(self, limit: int = 1000) -> Records:
        """The next records (at most `limit`), oldest first, [] when there are none; the same
        ones again until `drain` has handled them."""
        with self._locked():
            shard = self._shard()
            first = shard.starting_sequence_number
            start = max(0, (self._last + 1 - first) if self._last is not None else 0)
            raw: Records = []
            for record in itertools.islice(shard.items, start, None):
                if len(raw) == limit:
                    break
                data = record.to_json()
                if not _bare_key(data):
                    raw.append(data)
            arn = f"{shard.table.table_arn}/stream/{shard.table.latest_stream_label}"
        return [as_lambda_record(record, arn) for record in raw]

    def drain(
        self, handle: Callable[[Records], Any], batch: int = 1000, batches: int | None = None
    ) -> int:
        """Hand every waiting record to `handle`, a batch at a time (at most `batches`
        batches); how many there were. A batch `handle` fails on is delivered again by the
        next call, as Lambda would."""
        count, handed = 0, 0
        while (batches is None or handed < batches) and (records := self.read(batch)):
            handed += 1
            handle(records)
            self._last = int(records[-1]["dynamodb"]["SequenceNumber"])
            count += len(records)
            self._forget_handled()
        return count

    def _forget_handled(self) -> None:
        with self._locked():
            shard = self._shard()
            assert self._last is not None
            drop = min(self._last - shard.starting_sequence_number + 1, len(shard.items))
            if drop > 0:
                del shard.items[:drop]
                shard.starting_sequence_number += drop

    def _shard(self) -> Any:
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        table = dynamodb_backends[DEFAULT_ACCOUNT_ID][self._region].tables[self._table]
        if table.stream_shard is None:
            raise RuntimeError(f"the table {self._table} has no stream")
        return table.stream_shard

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        with self._lock:
            yield


def _bare_key(record: dict[str, Any]) -> bool:
    """moto puts two records on the stream for an update that creates its item: the item
    with its key alone, then the update. DynamoDB puts one, and referbee never writes an item
    that is only its key: the first is left out."""
    new = record["dynamodb"].get("NewImage")
    return record["eventName"] == "INSERT" and isinstance(new, dict) and set(new) <= {"PK", "SK"}


def as_lambda_record(record: dict[str, Any], arn: str) -> dict[str, Any]:
    """A moto stream record (`StreamRecord.to_json()`) as Lambda delivers it from `arn`."""
    data = dict(record["dynamodb"])
    created = data.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        data["ApproximateCreationDateTime"] = created.timestamp()
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", "us-east-1"),
        "dynamodb": data,
        "eventSourceARN": arn,
    }
