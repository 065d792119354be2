"""Throughput of the local stack (`referbee dev`) for counted clicks, as a ratio to raw
UpdateItem throughput against the same embedded DynamoDB, both driven by a separate
process (bench/loadgen.py) with the same bounded load. Every click is then checked in the
referrer's stats: a fast server that drops counts would not pass."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import ROOT, setup_paths

setup_paths()


@dataclass
class Throughput:
    requests: int
    concurrency: int
    clicks_per_second: float
    updates_per_second: float
    counted: int
    errors: int


def measure(total: int = 2000, concurrency: int = 8) -> Throughput:
    from tests.e2e.stack import DevStack, request

    with tempfile.TemporaryDirectory() as work:
        stack = DevStack(Path(work), admin_key="rk_bench_admin_key_0123456789").start()
        try:
            issued = request(
                "POST",
                f"{stack.api}/v1/programs/demo/referrers",
                {"email": "load@example.com"},
                {"Authorization": f"Bearer {stack.admin_key}"},  # answered with the stats token
            ).json()
            endpoint = next(
                line.split()[1]
                for line in stack.output().splitlines()
                if line.strip().startswith("DynamoDB")
            )
            clicks = _load("clicks", issued["link"], total, concurrency)
            updates = _load("updateitem", endpoint, total, concurrency)
            stats = _settled_stats(request, f"{stack.api}/v1/stats/{issued['stats_token']}", total)
        finally:
            stack.stop()
    return Throughput(
        total,
        concurrency,
        clicks["ok"] / clicks["seconds"],
        updates["ok"] / updates["seconds"],
        stats["clicks"],
        int(clicks["errors"] + updates["errors"]),
    )


def _settled_stats(request: Any, url: str, total: int, within: float = 30) -> dict[str, Any]:
    """The stats once the stack's rollups have counted `total` clicks from the stream (they
    run every half second), or as they are after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        stats: dict[str, Any] = request("GET", url).json()
        if stats["clicks"] >= total or time.monotonic() > deadline:
            return stats
        time.sleep(0.25)


def _load(mode: str, target: str, total: int, concurrency: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", mode, target, str(total), str(concurrency)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def table(result: Throughput) -> str:
    ratio = result.clicks_per_second / result.updates_per_second
    return "\n".join(
        [
            f"{result.requests} requests at {result.concurrency} concurrent, "
            "from a second process:",
            "",
            "| load | per second |",
            "|---|---:|",
            "| counted clicks through `referbee dev` (1 write each) | "
            f"{result.clicks_per_second:.0f} |",
            f"| raw `UpdateItem` on the same embedded DynamoDB | {result.updates_per_second:.0f} |",
            "",
            f"- ratio clicks / raw UpdateItem: **{ratio:.2f}x** (goal 0.5x; a click is one write, "
            "so 1.0x is the ceiling set by the database)",
            f"- clicks counted in the referrer's stats afterwards: {result.counted} of "
            f"{result.requests}; failed requests: {result.errors}",
        ]
    )


if __name__ == "__main__":
    print(table(measure()))
