"""`refkit dev`'s stand-in for the stream event source (moto cannot run Lambda): reads the
embedded database's table stream and hands the records, in the shape Lambda delivers them,
to the same `roll_up_records` the deployed rollup function runs.

The reader keeps its place as the last sequence number read, and asks for a fresh iterator
after it on every read: an iterator would not survive the embedded database replacing the
stream's shard (it does when a transaction is cancelled). It reads the single shard a local
table has; a deployed table's shards are Lambda's business.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

Records = list[dict[str, Any]]


class StreamReader:
    """`start="LATEST"` skips what the stream already holds (e.g. a restored snapshot)."""

    def __init__(
        self, dynamodb: Any, streams: Any, table: str, start: str = "TRIM_HORIZON"
    ) -> None:
        self._streams = streams
        self._arn = str(dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"])
        shards = streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        self._shard = str(shards[0]["ShardId"])
        self._last: str | None = None
        if start == "LATEST":
            while records := self.read():
                self._last = records[-1]["dynamodb"]["SequenceNumber"]

    def read(self, limit: int = 1000) -> Records:
        """The next records (at most `limit`), oldest first, [] when there are none; the same
        ones again until `drain` has handled them."""
        if self._last is None:
            where: dict[str, Any] = {"ShardIteratorType": "TRIM_HORIZON"}
        else:
            where = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self._last}
        iterator = self._streams.get_shard_iterator(
            StreamArn=self._arn, ShardId=self._shard, **where
        )
        page = self._streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=limit)
        return [self._as_lambda_record(record) for record in page["Records"]]

    def drain(self, handle: Callable[[Records], Any], batch: int = 1000) -> int:
        """Hand every waiting record to `handle`, a batch at a time; how many there were. A
        batch `handle` fails on is delivered again by the next call, as Lambda would."""
        count = 0
        while records := self.read(batch):
            handle(records)
            self._last = records[-1]["dynamodb"]["SequenceNumber"]
            count += len(records)
        return count

    def _as_lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
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
            "eventSourceARN": self._arn,
        }
