"""The local stack's DynamoDB: moto's server, in this process, saved to disk.

moto keeps everything in memory, so the table is written to `<data_dir>/dynamodb.json` as
DynamoDB-JSON items shortly after every write and on shutdown, then loaded back on start:
stopping and starting `referbee dev` keeps the data.

Requests are served one at a time. That is slower than a thread per request but makes every
conditional write and transaction truly atomic, which is what the real service guarantees.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import boto3
from werkzeug.serving import BaseWSGIServer, make_server

from chalicelib.store.table import TTL_ATTRIBUTE, create_table

from .expressions import parse_and_validate_once
from .transactions import roll_back_transactions_by_key

_READ_ONLY = {
    "GetItem",
    "BatchGetItem",
    "Query",
    "Scan",
    "TransactGetItems",
    "DescribeTable",
    "ListTables",
    "DescribeTimeToLive",
    "DescribeContinuousBackups",
    "ListTagsOfResource",
}
_FLUSH_AFTER = 0.3  # seconds of quiet after a write before the snapshot is written

StartResponse = Callable[..., Any]


class EmbeddedDynamo:
    def __init__(self, data_dir: Path, table: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.data_dir = data_dir
        self.table = table
        self.snapshot = data_dir / "dynamodb.json"
        self._lock = threading.Lock()
        self.lock = self._lock  # held by every request; the stream reader holds it too
        self._dirty_at: float | None = None
        self._stopping = threading.Event()
        self._server: BaseWSGIServer = make_server(host, port, self._wsgi, threaded=True)
        self.endpoint = f"http://{host}:{self._server.server_port}"
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        for target in (self._server.serve_forever, self._flush_loop):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        client = self.client()
        if create_table(client, self.table):
            self._restore(client)

    def stop(self) -> None:
        self._stopping.set()
        self.flush()
        self._server.shutdown()

    def client(self) -> Any:
        return boto3.client(
            "dynamodb",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="referbee-dev",
            aws_secret_access_key="referbee-dev",  # noqa: S106 - moto accepts any credentials
        )

    def flush(self) -> None:
        """Write the whole table to disk (atomically: a crash leaves the previous copy)."""
        with self._lock:
            self._dirty_at = None
        items = [item for item in self._scan() if not _expired(item)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        partial = self.snapshot.with_suffix(".tmp")
        partial.write_text(json.dumps({"version": 1, "items": items}))
        partial.replace(self.snapshot)

    def _wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        with self._lock:
            result = list(_moto_app()(environ, start_response))
            if target.rpartition(".")[2] not in _READ_ONLY:
                self._dirty_at = time.monotonic()
                _forget_tracked_instances()
        return result

    def _flush_loop(self) -> None:
        while not self._stopping.wait(0.1):
            dirty_at = self._dirty_at
            if dirty_at is not None and time.monotonic() - dirty_at > _FLUSH_AFTER:
                self.flush()

    def _scan(self) -> list[dict[str, Any]]:
        client = self.client()
        items: list[dict[str, Any]] = []
        for page in client.get_paginator("scan").paginate(TableName=self.table):
            items.extend(page["Items"])
        return items

    def _restore(self, client: Any) -> None:
        if not self.snapshot.exists():
            return
        items = json.loads(self.snapshot.read_text())["items"]
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            client.batch_write_item(RequestItems={self.table: batch})


def _forget_tracked_instances() -> None:
    """moto keeps a reference to every model object it ever made, for its web dashboard:
    every item, stream record and table, and every copy of them that each transaction takes
    to roll back with. The table itself holds what it needs, so those lists only grow (three
    million objects after a thousand clicks, slowing every garbage collection and making the
    process take half a minute to exit). They are emptied after each write."""
    from moto.core.model_instances import reset_model_data

    reset_model_data()


def _expired(item: dict[str, Any]) -> bool:
    # DynamoDB deletes items whose TTL has passed; moto does not, so the snapshot does.
    expires = item.get(TTL_ATTRIBUTE, {}).get("N")
    return expires is not None and float(expires) < time.time()


_APP: Any = None


def _moto_app() -> Any:
    global _APP
    if _APP is None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        roll_back_transactions_by_key()
        parse_and_validate_once()
        _APP = DomainDispatcherApplication(create_backend_app)
    return _APP
