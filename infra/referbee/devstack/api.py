"""One worker of the local API: Chalice's local server, behaving like one Lambda container.

`referbee dev` starts several of these on the same port (SO_REUSEPORT), so requests run in
parallel across processes, exactly as they do across Lambda containers, while each process
handles one request at a time, as a Lambda container does.

Changes from `chalice local`'s handler:
- a click (`GET`/`HEAD /r/{code}`) and the pixel (`GET /p.gif`) are answered by the click
  function as deployed on its Function URL (api/function_url.py), with the URL's event: the
  same code, without Chalice's routing, as in production;
- the response goes out in one write with TCP_NODELAY; chalice local writes headers and body
  separately, and Nagle's algorithm plus delayed ACKs then stall every keep-alive request
  by about 40 ms;
- the event's sourceIp is the real client address, not a constant 127.0.0.1, so visitors
  are told apart locally as API Gateway tells them apart in production;
- HEAD responses carry no body;
- a method the app has no route for (TRACE, QUERY, ...) gets the app's 405, not a 501.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import logging
import re
import socket
import sys
import threading
from http.server import HTTPServer
from pathlib import Path
from typing import Any

from chalice.cli.factory import CLIFactory
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    LocalChalice,
    LocalDevServer,
    ThreadedHTTPServer,
)

_ONE_AT_A_TIME = threading.Lock()
_LINK_PATHS = re.compile(r"/r/[^/]{1,200}|/p\.gif")  # what the click function serves


class ReferbeeRequestHandler(ChaliceRequestHandler):
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024  # flushed once per response by BaseHTTPRequestHandler

    def _generic_handle(self) -> None:
        self.local_gateway.event_converter.LOCAL_SOURCE_IP = self.client_address[0]
        with _ONE_AT_A_TIME:
            if not self._answer_click():
                super()._generic_handle()

    def _answer_click(self) -> bool:
        """Answer a click or the pixel as the deployed click function does; False for
        anything else."""
        path, _, query = self.path.partition("?")
        if self.command not in ("GET", "HEAD") or not _LINK_PATHS.fullmatch(path):
            return False
        if path == "/p.gif" and self.command != "GET":
            return False  # the app's 405, as for any method a route does not take
        event = {
            "version": "2.0",
            "rawPath": path,
            "rawQueryString": query,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "requestContext": {
                "http": {"method": self.command, "sourceIp": self.client_address[0]}
            },
        }
        # Imported once the app is loaded, with the stage's environment (as in a container).
        from chalicelib.api import function_url

        answer = function_url.serve_links(event, None)
        body = answer.get("body") or ""
        raw = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
        headers = dict(answer.get("headers") or {})
        if answer.get("cookies"):
            headers["Set-Cookie"] = answer["cookies"]  # one header line each
        self._send_http_response_with_body(answer["statusCode"], headers, raw)
        return True

    # The base class binds these names to its own method object; rebind them to ours.
    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, QUERY, ...) goes to the app too, which answers 405 with
        the route's Allow header, as for PUT, instead of http.server's 501."""
        if name.startswith("do_") and name[3:].isalpha() and name[3:].isupper():
            return self._generic_handle
        raise AttributeError(name)

    def _send_http_response_with_body(self, code: int, headers: Any, body: str | bytes) -> None:
        if self.command != "HEAD":
            super()._send_http_response_with_body(code, headers, body)
            return
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self._send_headers(headers)

    def log_message(self, format: str, *args: Any) -> None:
        return


class SharedPortServer(ThreadedHTTPServer):
    """Several worker processes bind the same port; the kernel spreads connections."""

    def server_bind(self) -> None:
        if hasattr(socket, "SO_REUSEPORT"):
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        HTTPServer.server_bind(self)


def serve(project_dir: Path, host: str, port: int, *, stock_handler: bool = False) -> None:
    """Serve the app; `stock_handler` uses chalice local's own request handler instead
    (bench/local_keepalive.py measures the difference)."""
    factory = CLIFactory(str(project_dir))
    config = factory.create_config_obj(chalice_stage_name="dev")
    app = factory.load_chalice_app(config.environment_variables)
    # As chalice local does: make current_request thread-local.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    handler = ChaliceRequestHandler if stock_handler else ReferbeeRequestHandler
    server = LocalDevServer(
        app, config, host, port, handler_cls=handler, server_cls=SharedPortServer
    )
    server.server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="one local API worker (started by referbee dev)")
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--stock-handler",
        action="store_true",
        help="use chalice local's own handler (for comparison)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stderr,
        format="api worker: %(levelname)s %(name)s: %(message)s",
    )
    with contextlib.suppress(KeyboardInterrupt):
        serve(args.project, args.host, args.port, stock_handler=args.stock_handler)


if __name__ == "__main__":
    main()
