"""CORS per program in a real Chromium against `referbee dev`: a page on one of the program's
origins gets through a real preflight (a JSON POST) and reads the answers; a page on another
origin is refused by the preflight, cannot read public answers, and its beacon (a simple
request, no preflight) is refused by the server and records nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.stack import DevStack, request

pytestmark = pytest.mark.browser

KEY = "rk_browser_cors_key_0123456789abc"
CALLS = """
async function call(url, init) {
  try {
    const response = await fetch(url, init);
    return {status: response.status, body: await response.text()};
  } catch (error) {
    return {error: String(error)};
  }
}
window.results = (async () => {
  const api = new URLSearchParams(location.search).get('api');
  const issue = await call(api + '/v1/programs/beans/referrers', {
    method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({email: 'page@example.com'})
  });
  const info = await call(api + '/v1/programs/beans');
  const beacon = await call(api + '/v1/programs/beans/beacon', {
    method: 'POST', headers: {'Content-Type': 'text/plain'}, mode: 'no-cors',
    body: JSON.stringify({
      event: 'signup', order_id: 'from-page',
      ref: new URLSearchParams(location.search).get('ref')
    })
  });
  return {issue, info, beacon};
})();
"""


class Pages:
    """The same fixture page served on two origins: 127.0.0.1 (an allowed host of the
    program, any port on a local host) and 127.0.0.2 (not)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "calls.js").write_text(CALLS)
        (folder / "index.html").write_text(
            '<!doctype html><html><head><script src="calls.js"></script></head><body></body></html>'
        )
        handler = partial(_Quiet, directory=str(folder))
        self.servers = [
            ThreadingHTTPServer((host, 0), handler) for host in ("127.0.0.1", "127.0.0.2")
        ]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(self, index: int) -> str:
        host, port = self.servers[index].server_address[:2]
        return f"http://{host}:{port}/index.html"

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DevStack, Pages]]:
    root = tmp_path_factory.mktemp("cors")
    stack = DevStack(root, KEY)
    config = {
        "programs": [
            {
                "id": "beans",
                "name": "Bean There",
                "landing_url": f"{stack.site}/shop/",
                "allowed_hosts": ["127.0.0.1"],
                "rewards": {
                    "referrer": {"text": "$10", "kind": "credit", "amount": 10},
                    "friend": {"text": "$5", "kind": "credit", "amount": 5},
                },
                # The pages' beacons name a bare ref: accepted here, so what decides whether
                # a beacon counts is its origin alone (by default it would be organic).
                "trust": {"browser_referrals": "ref"},
                "emails": {"from": "Bean There <rewards@beans.example>"},
            }
        ]
    }
    (root / "referbee.yaml").write_text(json.dumps(config))
    stack.start()
    pages = Pages(root / "pages")
    yield stack, pages
    pages.close()
    stack.stop()


def run_calls(page: Page, url: str, stack: DevStack, ref: str) -> dict[str, Any]:
    page.goto(f"{url}?api={stack.api}&ref={ref}")
    results: dict[str, Any] = page.evaluate("window.results")
    return results


def signups(stack: DevStack, token: str) -> int:
    return int(request("GET", f"{stack.api}/v1/stats/{token}").json()["signups"])


def test_a_stranger_origin_is_refused_and_records_nothing(
    world: tuple[DevStack, Pages], page: Page
) -> None:
    stack, pages = world
    referrer = request(
        "POST",
        f"{stack.api}/v1/programs/beans/referrers",
        {"email": "jane@example.com"},
        {"Authorization": f"Bearer {KEY}"},  # the shop's server: answered with the token
    ).json()
    results = run_calls(page, pages.url(1), stack, referrer["code"])
    assert "error" in results["issue"]  # the preflight gave no permission
    assert "error" in results["info"]  # the answer came without permission to read it
    assert results["beacon"] == {"status": 0, "body": ""}  # opaque: sent, answer unreadable
    assert signups(stack, referrer["stats_token"]) == 0
    issued = request(
        "POST",
        f"{stack.api}/v1/programs/beans/referrers",
        {"email": "page@example.com"},
        {"Authorization": f"Bearer {KEY}"},
    )
    assert issued.status == 201  # new: the page's POST never reached the server


def test_the_programs_origin_passes_a_real_preflight(
    world: tuple[DevStack, Pages], page: Page
) -> None:
    stack, pages = world
    referrer = request(
        "POST",
        f"{stack.api}/v1/programs/beans/referrers",
        {"email": "kim@example.com"},
        {"Authorization": f"Bearer {KEY}"},  # the shop's server: answered with the token
    ).json()
    results = run_calls(page, pages.url(0), stack, referrer["code"])
    assert results["issue"]["status"] in (200, 201), results
    assert json.loads(results["issue"]["body"])["program"] == "beans"
    assert json.loads(results["info"]["body"])["id"] == "beans"
    assert signups(stack, referrer["stats_token"]) == 1
