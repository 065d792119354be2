"""Keep-alive latency of the local API: referbee's worker handler against chalice local's own,
both serving the same app in worker processes; sequential requests on one keep-alive
connection, interleaved batches.

chalice local writes each response's headers and body in separate small writes; with
Nagle's algorithm and delayed ACKs every keep-alive request then waits about 40 ms.
referbee's handler buffers the response into one write and sets TCP_NODELAY."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT, setup_paths

setup_paths()


@dataclass
class KeepAlive:
    stock_ms: float
    referbee_ms: float


def measure(rounds: int = 8, batch: int = 25) -> KeepAlive:
    with tempfile.TemporaryDirectory() as work:
        env = {
            **os.environ,
            "REFERBEE_SECRET": "bench-secret-0123456789",
            "REFERBEE_PROGRAMS_FILE": str(Path(work) / "none.json"),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT / "infra")]),
        }
        servers = {
            name: _start(env, stock) for name, stock in (("stock", True), ("referbee", False))
        }
        try:
            samples: dict[str, list[float]] = {name: [] for name in servers}
            connections = {
                name: http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                for name, (_, port) in servers.items()
            }
            for _ in range(rounds):
                for name, connection in connections.items():
                    start = time.perf_counter()
                    for _ in range(batch):
                        connection.request("GET", "/v1/programs/demo")
                        response = connection.getresponse()
                        response.read()
                        assert response.status == 200
                    samples[name].append((time.perf_counter() - start) / batch * 1e3)
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=10)
    return KeepAlive(statistics.median(samples["stock"]), statistics.median(samples["referbee"]))


def _start(env: dict[str, str], stock: bool) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "referbee.devstack.api",
        "--project",
        str(ROOT / "functions"),
        "--port",
        str(port),
    ] + (["--stock-handler"] if stock else [])
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the API worker did not start")


def table(result: KeepAlive) -> str:
    return "\n".join(
        [
            "| handler | median ms per request on one keep-alive connection |",
            "|---|---:|",
            f"| chalice local's own | {result.stock_ms:.1f} |",
            f"| referbee's (one write, TCP_NODELAY) | {result.referbee_ms:.1f} |",
            "",
            "- referbee's handler: "
            f"**{result.stock_ms / result.referbee_ms:.1f}x** faster per request",
        ]
    )


if __name__ == "__main__":
    print(table(measure()))
