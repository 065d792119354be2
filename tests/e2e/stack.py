"""Starts `referbee dev` as a subprocess on free ports, and speaks HTTP to it (stdlib only)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
) -> Reply:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    raw = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    all_headers = {"Accept": "*/*", **(headers or {})}
    if raw is not None:
        all_headers.setdefault("Content-Type", "application/json")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection.request(method, path or "/", body=raw, headers=all_headers)
    response = connection.getresponse()
    reply = Reply(
        response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    )
    connection.close()
    return reply


def free_port_pair() -> int:
    """A port P such that P and P+1 are both free."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port > 65000:
            continue
        try:
            with socket.socket() as second:
                second.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two consecutive free ports")


class DevStack:
    def __init__(
        self,
        workdir: Path,
        admin_key: str | None,
        port: int | None = None,
        extra_args: list[str] | None = None,
    ) -> None:
        self.workdir = workdir
        self.admin_key = admin_key
        self.port = port or free_port_pair()
        self.api = f"http://127.0.0.1:{self.port}"
        self.site = f"http://127.0.0.1:{self.port + 1}"
        self.extra_args = extra_args or []
        self.process: subprocess.Popen[str] | None = None
        self.log = workdir / "referbee-dev.log"

    def start(self, timeout: float = 90) -> DevStack:
        command = [sys.executable, "-m", "referbee.cli", "dev", "--port", str(self.port)]
        if self.admin_key:
            command += ["--admin-key", self.admin_key]
        command += self.extra_args
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._offset = self.log.stat().st_size if self.log.exists() else 0
        self.process = subprocess.Popen(
            command,
            cwd=self.workdir,
            env=env,
            text=True,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"referbee dev exited early:\n{self.log.read_text()}")
            if "referbee dev is running" in self.output():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"referbee dev did not start:\n{self.log.read_text()}")

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def output(self) -> str:
        """What this run printed (the log is shared by runs in one folder)."""
        return self.log.read_text()[getattr(self, "_offset", 0) :]


def serve(stack: DevStack, config: dict[str, Any]) -> Iterator[DevStack]:
    """Run `stack` with `config` as its referbee.yaml (JSON is YAML too) until the test ends."""
    (stack.workdir / "referbee.yaml").write_text(json.dumps(config))
    stack.start()
    yield stack
    if stack.process and stack.process.poll() is None:
        stack.stop()
