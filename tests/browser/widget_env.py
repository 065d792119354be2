"""The widget's test world, all over real HTTP: `referbee dev` (the API, the built widget at
{site}/widget/referbee.js and the demo shop) and, on another origin, a shop of fixture pages
(tests/browser/pages/) that embed the widget the way a customer's site would."""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chalicelib.domain.referrals.identity import identity_signature
from tests.e2e.stack import DevStack, Reply, free_port_pair, request

PAGES = Path(__file__).with_name("pages")
ADMIN_KEY = "rk_browser_admin_key_0123456789"
# The fixture shop's server signs its signed-in customer's email, as a real shop's would.
IDENTITY_SECRET = "beans-fixture-identity-secret"
PROGRAM = "beans"
CONFIG = """\
programs:
  - id: beans
    name: Bean Club
    landing_url: http://127.0.0.1:{site_port}/shop/
    allowed_hosts: [127.0.0.1, localhost]
    landing_pages:
      fixture: http://localhost:{shop_port}/landing.html?utm_source=friend
    currency: USD
    attribution_window_days: 14
    share_message: "I buy my beans at {{program}}. Get {{friend_reward}}: {{link}}"
    brand: {{primary_color: "#0b6e4f"}}
    widget: {{title: "Give 15%, get $10", launcher_text: "Get $10", copy_text: "Copy link"}}
    identity_secret: {identity_secret}
    rewards:
      referrer: {{text: "$10 store credit", kind: credit, amount: 10}}
      friend:
        text: "15% off your first order"
        texts: {{fr: "15 % de remise sur votre première commande"}}
        kind: percent
        percent: 15
    emails: {{from: "Bean Club <rewards@beans.example>"}}
"""
# What a careful shop sends: nothing inline, scripts and styles from known origins only.
STRICT_CSP = (
    "default-src 'none'; script-src 'self' {site}; connect-src {api}; img-src {api}; "
    "style-src 'self'; base-uri 'none'; form-action 'self'"
)


@dataclass
class WidgetWorld:
    stack: DevStack
    shop: str  # the fixture pages' origin: http://localhost:PORT
    dead_api: str  # an address where nothing listens

    @property
    def api(self) -> str:
        return self.stack.api

    @property
    def site(self) -> str:
        return self.stack.site

    def origins(self) -> set[str]:
        return {self.shop, self.api, self.site}

    def page(self, name: str, query: str = "") -> str:
        return f"{self.shop}/{name}" + (f"?{query}" if query else "")

    def issue(self, email: str, name: str = "Jane Doe") -> dict[str, Any]:
        reply = request(  # as the shop's server asks: answered with the stats token
            "POST",
            f"{self.api}/v1/programs/{PROGRAM}/referrers",
            {"email": email, "name": name},
            {"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        assert reply.status in (200, 201), reply.body
        body: dict[str, Any] = reply.json()
        return body

    def stats(self, token: str) -> dict[str, Any]:
        reply = request("GET", f"{self.api}/v1/stats/{token}")
        assert reply.status == 200, reply.body
        body: dict[str, Any] = reply.json()
        return body

    def get(self, url: str) -> Reply:
        return request("GET", url)


def start_world(workdir: Path) -> tuple[WidgetWorld, ThreadingHTTPServer]:
    port = free_port_pair()
    shop = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(FixtureHandler))
    shop.daemon_threads = True
    shop_port = shop.server_port
    (workdir / "referbee.yaml").write_text(
        CONFIG.format(site_port=port + 1, shop_port=shop_port, identity_secret=IDENTITY_SECRET)
    )
    stack = DevStack(workdir, ADMIN_KEY, port=port)
    dead_port = free_port_pair()
    world = WidgetWorld(stack, f"http://localhost:{shop_port}", f"http://127.0.0.1:{dead_port}")
    FixtureHandler.values = {
        "api": world.api,
        "site": world.site,
        "program": PROGRAM,
        "dead_api": world.dead_api,
        "slow_api": f"http://127.0.0.1:{shop_port}/slow-api",
    }
    threading.Thread(target=shop.serve_forever, daemon=True).start()
    stack.start()
    return world, shop


class FixtureHandler(BaseHTTPRequestHandler):
    """Serves tests/browser/pages/* with {{api}}, {{site}}, {{program}}... filled in; pages
    named csp-* get a strict Content-Security-Policy; /slow-api/* answers 503 after 1.5 s."""

    values: dict[str, str] = {}

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/slow-api/"):
            time.sleep(1.5)
            self._send(503, b'{"error": "The database is unavailable; try again."}', "json")
            return
        file = PAGES / path.lstrip("/")
        if "/" in path.lstrip("/") or not file.is_file():
            self._send(404 if path != "/favicon.ico" else 204, b"", "text")
            return
        text = file.read_text()
        values = {**self.values, "signature": self._signature()}
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", value)
        text = re.sub(  # a page that names its customer: {{signature_of:ann@example.com}}
            r"\{\{signature_of:([^}]+)\}\}",
            lambda found: identity_signature(IDENTITY_SECRET, found.group(1)),
            text,
        )
        self._send(200, text.encode(), file.suffix.lstrip("."), csp=file.name.startswith("csp-"))

    def _signature(self) -> str:
        """The signature of the customer the page identifies (`?email=`), unless the page is
        asked to leave it out (`&unsigned=1`): then it speaks for nobody."""
        query = parse_qs(urlsplit(self.path).query)
        email = (query.get("email") or [""])[0]
        if not email or query.get("unsigned"):
            return ""
        return identity_signature(IDENTITY_SECRET, email)

    def _send(self, status: int, body: bytes, kind: str, *, csp: bool = False) -> None:
        types = {"html": "text/html", "js": "text/javascript", "json": "application/json"}
        self.send_response(status)
        self.send_header("Content-Type", types.get(kind, "text/plain") + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        if csp:
            self.send_header("Content-Security-Policy", STRICT_CSP.format(**self.values))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page moved on
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return
