"""`referbee dev`'s stand-in for the scheduled Lambda function and the stream-fed rollup function
(moto cannot run Lambda): a thread that runs the same `run_due_work` every few seconds, against
the local database, so rewards get approved and webhooks and emails go out (emails as .eml
files in the outbox), and hands the table stream's new records to the same
`roll_up_records` twice a second (a batch of up to 1,000 records each time), so program
analytics stay current."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from chalicelib.api.rollups import roll_up_records
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context, Links
from chalicelib.domain.outbox.schedule import run_due_work
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import Clock, SystemClock
from chalicelib.outbound import Outbound
from chalicelib.store.dynamo import DynamoStore

from .streams import StreamReader

logger = logging.getLogger(__name__)

STREAM_INTERVAL = 0.5  # seconds between reads of the table stream


class DueWorkLoop:
    def __init__(
        self,
        client: Any,
        table: str,
        config_document: dict[str, Any],
        secret: str,
        links: Links,
        outbox: Path,
        interval: float = 2.0,
        stream: StreamReader | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._ctx = Context(
            store=DynamoStore(client, table),
            catalogue=parse_programs(config_document),
            signer=Signer(secret.encode()),
            clock=clock or SystemClock(),
        )
        self._outbound = Outbound(outbox_dir=outbox, region="us-east-1")
        self._links = links
        self._interval = interval
        self._stream = stream
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="referbee-due-work", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=15)
        if self._stream is not None and not self._thread.is_alive():
            self._roll_up(batches=None)  # what was written since the last round

    def _run(self) -> None:
        tick = min(self._interval, STREAM_INTERVAL) if self._stream else self._interval
        due_in = self._interval
        while not self._stopping.wait(tick):
            due_in -= tick
            if self._stream is not None:
                self._roll_up()
            if due_in > 1e-6:
                continue
            due_in = self._interval
            try:
                run_due_work(self._ctx, self._outbound, self._links)
            except Exception:
                # The stack keeps running: the next round retries what failed.
                logger.exception("referbee dev: the scheduled work failed")

    def _roll_up(self, batches: int | None = 1) -> None:
        assert self._stream is not None
        try:
            # One batch a round, like Lambda's batching window: a loop that chased the newest
            # records under steady traffic made a transaction of every few clicks, and every
            # request waits while the embedded database runs one.
            self._stream.drain(lambda records: roll_up_records(self._ctx, records), batches=batches)
        except Exception:
            # Like Lambda, the batch that failed is delivered again on the next round.
            logger.exception("referbee dev: rolling up the table stream failed")
