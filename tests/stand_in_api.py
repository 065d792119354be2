"""A stand-in admin API on a free local port, for command-line tests that need no stack: it
answers every GET with the JSON of the first path ending it knows, and records the
Authorization header of each call."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def stand_in_api(answers: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(its address, the Authorization headers seen); `answers` maps path endings (""
    matches any path) to the JSON to answer."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            path = self.path.split("?")[0]
            answer = next(a for end, a in answers.items() if path.endswith(end))
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
