"""`refkit dev`'s stand-in for the scheduled Lambda function (moto cannot run Lambda): a
thread that runs the same `run_due_work` every few seconds, against the local database, so
rewards get approved and webhooks and emails go out (emails as .eml files in the outbox)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from chalicelib.domain.clock import SystemClock
from chalicelib.domain.context import Context, Links
from chalicelib.domain.programs import parse_programs
from chalicelib.domain.schedule import run_due_work
from chalicelib.domain.signing import Signer
from chalicelib.outbound import Outbound
from chalicelib.store.dynamo import DynamoStore

logger = logging.getLogger(__name__)


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
    ) -> None:
        self._ctx = Context(
            store=DynamoStore(client, table),
            catalogue=parse_programs(config_document),
            signer=Signer(secret.encode()),
            clock=SystemClock(),
        )
        self._outbound = Outbound(outbox_dir=outbox, region="us-east-1")
        self._links = links
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="refkit-due-work", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=15)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                run_due_work(self._ctx, self._outbound, self._links)
            except Exception:
                # The stack keeps running: the next round retries what failed.
                logger.exception("refkit dev: the scheduled work failed")
