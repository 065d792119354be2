"""The local stack's static server: the built site (with the widget) and the demo shop.

Paths are resolved by the standard library's `translate_path` (which drops `..` and
absolute components) under one root per mount, so nothing outside the mounts is served. A
path that names no file gets the site's own 404 page, as a static host serves it, and a
folder without an index page is not listed.
"""

from __future__ import annotations

import functools
import os
import threading
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


class MountedHandler(SimpleHTTPRequestHandler):
    """Serves `mounts` ({url prefix: folder}); the longest matching prefix wins."""

    mounts: dict[str, Path] = {}
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".svg": "image/svg+xml",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
    }

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


class StaticServer:
    def __init__(self, mounts: dict[str, Path], host: str, port: int) -> None:
        self._mounts = dict(mounts)
        handler = type("Handler", (MountedHandler,), {"mounts": self._mounts})
        self._server = ThreadingHTTPServer((host, port), functools.partial(handler))
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_port}"

    def mount(self, mounts: dict[str, Path]) -> None:
        self._mounts.update(mounts)

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
