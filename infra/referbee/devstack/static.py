"""The local stack's static server: the built site (with the widget), the demo shop, and the
demo shop's own server (JSON routes under a prefix, see shop_server.py).

Paths are resolved by the standard library's `translate_path` (which drops `..` and
absolute components) under one root per mount, so nothing outside the mounts is served. A
path that names no file gets the site's own 404 page, as a static host serves it, and a
folder without an index page is not listed.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# On every response (docs/security.md): the pages' own Content-Security-Policy is a <meta>
# tag in each page, which cannot say who may frame them, so that part is a header here.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class JsonRequest:
    method: str
    path: str  # after the route's prefix
    query: str
    cookies: str  # the Cookie header, as sent
    body: bytes


# A JSON route answers (status, body); it never raises for bad input.
JsonRoute = Callable[[JsonRequest], tuple[int, dict[str, Any]]]


class MountedHandler(SimpleHTTPRequestHandler):
    """Serves `mounts` ({url prefix: folder}); the longest matching prefix wins. A path under
    a prefix of `routes` goes to that JSON route instead (GET and POST)."""

    mounts: dict[str, Path] = {}
    routes: dict[str, JsonRoute] = {}
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".svg": "image/svg+xml",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
    }

    def do_GET(self) -> None:
        if not self._route():
            super().do_GET()

    def do_POST(self) -> None:
        if not self._route():
            self.send_error(405)

    # A route answers every method itself (405 in JSON for one it does not take).
    do_PUT = do_PATCH = do_DELETE = do_POST

    def _route(self) -> bool:
        """Answer the request from a JSON route if one owns the path (False: none does)."""
        path, _, query = self.path.partition("?")
        prefix = next((p for p in self.routes if path.startswith(p)), None)
        if prefix is None:
            return False
        length = _content_length(self.headers.get("Content-Length"))
        if not 0 <= length <= MAX_BODY:
            status, answer = 413, {"error": f"Send a body of at most {MAX_BODY} bytes."}
        else:
            body = self.rfile.read(length) if length > 0 else b""
            cookies = self.headers.get("Cookie") or ""
            route = self.routes[prefix]
            request = JsonRequest(self.command, path[len(prefix) :], query, cookies, body)
            status, answer = route(request)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return True

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if clean == prefix.rstrip("/") or clean.startswith(prefix):
                self.directory = str(self.mounts[prefix])
                return super().translate_path("/" + path[len(prefix) :].lstrip("/"))
        self.directory = str(self.mounts.get("/", Path("/nonexistent")))
        return super().translate_path(path)

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.mounts.get("/", Path("/nonexistent")) / "404.html"
        if code != 404 or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _content_length(raw: str | None) -> int:
    """The body's length; -1 when the header is not a number."""
    try:
        return int(raw or 0)
    except ValueError:
        return -1


class StaticServer:
    def __init__(self, mounts: dict[str, Path], host: str, port: int) -> None:
        self._mounts = dict(mounts)
        self._routes: dict[str, JsonRoute] = {}
        shared = {"mounts": self._mounts, "routes": self._routes}
        handler = type("Handler", (MountedHandler,), shared)
        self._server = ThreadingHTTPServer((host, port), functools.partial(handler))
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_port}"

    def mount(self, mounts: dict[str, Path]) -> None:
        self._mounts.update(mounts)

    def route(self, prefix: str, answer: JsonRoute) -> None:
        self._routes[prefix] = answer

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
