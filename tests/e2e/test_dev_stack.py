"""The acceptance scenario of the core loop, over real HTTP against `referbee dev`."""

from __future__ import annotations

import concurrent.futures
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.common import BROWSER, PHONE

from .stack import DevStack, request

pytestmark = pytest.mark.e2e

KEY = "rk_e2e_admin_key_for_tests_0123456789"
ALICE, BOB = BROWSER, PHONE
SLACK = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    running = DevStack(tmp_path, KEY).start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def worker_pids(parent: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(parent)], capture_output=True, text=True
    )
    return [int(pid) for pid in out.stdout.split()]


def test_core_loop_end_to_end_and_restart(stack: DevStack, tmp_path: Path) -> None:
    joined = request(
        "POST",
        f"{stack.api}/v1/programs/demo/referrers",
        {"email": "jane@example.com", "name": "Jane"},
    )
    assert joined.status == 200, joined.body
    assert "stats_token" not in joined.json()  # the demo has no identity_secret: it is mailed
    issued = request(
        "POST",
        f"{stack.api}/v1/programs/demo/referrers",
        {"email": "jane@example.com"},
        {"Authorization": f"Bearer {KEY}"},
    )
    assert issued.status == 200, issued.body
    referrer = issued.json()
    code, token = referrer["code"], referrer["stats_token"]
    assert code == joined.json()["code"]
    assert referrer["link"] == f"{stack.api}/r/{code}"
    assert referrer["stats_url"] == f"{stack.site}/stats/?t={token}"

    locations = []
    for agent in (ALICE, ALICE, BOB, SLACK):
        reply = request("GET", f"{stack.api}/r/{code}", headers={"User-Agent": agent})
        assert reply.status == 302
        locations.append(reply.headers["location"])
    assert all(loc.startswith(f"{stack.site}/shop/?ref={code}&click=") for loc in locations)
    click_id = parse_qs(urlsplit(locations[2]).query)["click"][0]

    pixel = request(
        "GET",
        f"{stack.api}/p.gif?program=demo&event=signup&click={click_id}",
        headers={"User-Agent": BOB},
    )
    assert pixel.status == 200 and pixel.body.startswith(b"GIF8")
    assert pixel.headers["content-type"] == "image/gif"  # the click function's answer
    assert request("POST", f"{stack.api}/p.gif", {}).status == 405  # the app's, as before

    purchase = {
        "event": "purchase",
        "order_id": "order-1001",
        "amount": 36.5,
        "currency": "USD",
        "ref": code,
    }
    auth = {"Authorization": f"Bearer {KEY}"}
    first = request("POST", f"{stack.api}/v1/programs/demo/conversions", purchase, auth)
    assert first.status == 201, first.body
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        repeats = list(
            pool.map(
                lambda _: request(
                    "POST", f"{stack.api}/v1/programs/demo/conversions", purchase, auth
                ),
                range(20),
            )
        )
    assert [r.status for r in repeats] == [200] * 20
    assert all(r.json() == first.json() for r in repeats)

    expected = {
        "clicks": 3,
        "unique_clicks": 2,
        "signups": 1,
        "purchases": 1,
        "revenue": {"USD": 36.5},
    }
    stats = request("GET", f"{stack.api}/v1/stats/{token}").json()
    assert {k: stats[k] for k in expected} == expected
    assert len(stats["daily"]) == 1

    assert stack.process is not None
    workers = worker_pids(stack.process.pid)
    assert len(workers) == 2
    assert stack.stop() == 0
    assert "data saved" in stack.output()
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )

    restarted = DevStack(tmp_path, KEY, port=stack.port).start()
    try:
        again = request("GET", f"{restarted.api}/v1/stats/{token}").json()
        assert {k: again[k] for k in expected} == expected
        same = request(
            "POST", f"{restarted.api}/v1/programs/demo/referrers", {"email": "jane@example.com"}
        )
        assert same.status == 200 and same.json()["code"] == code
    finally:
        restarted.stop()


def test_banner_prints_urls_key_and_snippet(stack: DevStack) -> None:
    out = stack.output()
    assert f"API          {stack.api}" in out
    assert f"Demo shop    {stack.site}/shop/" in out
    assert f"Admin key    {KEY}" in out
    snippet = (
        f'<script async src="{stack.site}/widget/referbee.js" '
        f'data-api="{stack.api}" data-program="demo"></script>'
    )
    assert snippet in out


def test_static_server_serves_the_site_and_shop_and_nothing_else(stack: DevStack) -> None:
    assert request("GET", f"{stack.site}/").status == 200
    shop = request("GET", f"{stack.site}/shop/")
    assert shop.status == 200 and b'data-program="demo"' in shop.body
    for path in (
        "/../../etc/passwd",
        "/shop/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/shop/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
    ):
        reply = request("GET", stack.site + path)
        assert b"root:" not in reply.body, path


def test_generated_admin_key_is_printed_and_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REFERBEE_ADMIN_KEY", raising=False)
    running = DevStack(tmp_path, admin_key=None).start()
    try:
        line = next(line for line in running.output().splitlines() if "Admin key" in line)
        key = line.split()[2]
        assert key.startswith("rk_") and "generated for this run" in line
        reply = request(
            "POST",
            f"{running.api}/v1/programs/demo/conversions",
            {"event": "signup", "order_id": "x", "ref": "nope234"},
            {"Authorization": f"Bearer {key}"},
        )
        assert reply.status == 400  # authorized; the code is unknown
        assert "does not exist" in reply.json()["error"]
    finally:
        running.stop()


def test_the_generated_key_is_kept_across_restarts_and_a_401_says_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REFERBEE_ADMIN_KEY", raising=False)
    keys = []
    for _ in range(2):
        running = DevStack(tmp_path, admin_key=None).start()
        try:
            line = next(line for line in running.output().splitlines() if "Admin key" in line)
            keys.append(line.split()[2])
            listed = request(
                "GET",
                f"{running.api}/v1/programs/demo/rewards",
                headers={"Authorization": f"Bearer {keys[0]}"},
            )
            assert listed.status == 200, listed.body
            refused = request(
                "GET",
                f"{running.api}/v1/programs/demo/rewards",
                headers={"Authorization": "Bearer rk_yesterdays_key_0123456789abcdef"},
            )
        finally:
            running.stop()
        assert refused.status == 401
        kept = tmp_path / ".referbee" / "dev" / "admin_key"
        message = refused.json()["error"]
        assert "not valid" in message and str(kept) in message and "REFERBEE_ADMIN_KEY" in message
    assert keys[0] == keys[1]
    assert kept.read_text().strip() == keys[0]
    assert kept.stat().st_mode & 0o777 == 0o600
    assert f"kept in {kept}" in running.output()


def test_a_method_no_route_has_is_a_405_with_the_allowed_ones(stack: DevStack) -> None:
    for method in ("TRACE", "QUERY", "PUT"):
        reply = request(method, f"{stack.api}/v1/programs/demo")
        assert reply.status == 405, (method, reply.status)
        assert reply.headers["allow"] == "GET, OPTIONS"
        assert method in reply.json()["error"]
