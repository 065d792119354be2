"""A bounded load from a separate process: N requests at C concurrent, keep-alive.

`python -m bench.loadgen clicks URL N C` sends GET requests to URL (a referral link), each
with its own user agent so every click takes the counted, unique-visitor path.
`python -m bench.loadgen updateitem ENDPOINT N C` sends raw UpdateItem requests (ADD to one
counter) to a DynamoDB endpoint. Prints one JSON line: {"seconds", "ok", "errors"}.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit


def run(worker: Callable[[int], bool], total: int, concurrency: int) -> dict[str, float]:
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    next_index = iter(range(total))

    def loop() -> None:
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            good = worker(index)
            with lock:
                counts["ok" if good else "errors"] += 1

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - start, **counts}


def clicks(url: str, total: int, concurrency: int) -> dict[str, float]:
    parts = urlsplit(url)
    local = threading.local()

    def click(index: int) -> bool:
        if not hasattr(local, "connection"):
            local.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        agent = f"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 loadgen/{index}"
        try:
            local.connection.request("GET", parts.path, headers={"User-Agent": agent})
            response = local.connection.getresponse()
            response.read()
            return response.status == 302
        except (OSError, http.client.HTTPException):
            local.connection.close()
            del local.connection
            return False

    return run(click, total, concurrency)


def update_items(endpoint: str, total: int, concurrency: int) -> dict[str, float]:
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(max_pool_connections=concurrency * 2),
    )

    def update(index: int) -> bool:
        client.update_item(
            TableName="referbee-dev",
            Key={"PK": {"S": "BENCH#raw"}, "SK": {"S": f"COUNTER#{index % 16}"}},
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
        return True

    return run(update, total, concurrency)


if __name__ == "__main__":
    mode, target, total, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    job = clicks if mode == "clicks" else update_items
    print(json.dumps(job(target, total, concurrency)))
