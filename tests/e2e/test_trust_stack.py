"""Trust and safety on `referbee dev`, over real HTTP and through the CLI: keys created, used
and revoked with `referbee keys`; flagged conversions approved and rejected with `referbee
review`; a person exported and forgotten with `referbee export` and `referbee forget`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .stack import DevStack, request

pytestmark = pytest.mark.e2e

KEY = "rk_e2e_admin_key_for_trust_0123456789"
JANE = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 (jane)"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    running = DevStack(tmp_path, KEY)
    config = {
        "programs": [
            {
                "id": "beans",
                "name": "Bean There",
                "landing_url": f"{running.site}/shop/",
                "allowed_hosts": ["127.0.0.1"],
                "currency": "USD",
                "rewards": {
                    "referrer": {"text": "$10 store credit", "kind": "credit", "amount": 10},
                    "friend": {"text": "$5 off", "kind": "credit", "amount": 5},
                },
                "emails": {"from": "Bean There <rewards@beans.example>"},
            }
        ]
    }
    (tmp_path / "referbee.yaml").write_text(json.dumps(config))
    running.start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def cli(workdir: Path, key: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "referbee.cli", *args, "--program", "beans", "--admin-key", key],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode == 0) == ok, result.stdout + result.stderr
    return result


def test_keys_review_and_privacy_through_the_cli(stack: DevStack, tmp_path: Path) -> None:
    made = cli(tmp_path, KEY, "keys", "create", "--name", "ops laptop")
    ops = made.stdout.strip()
    assert ops.startswith("rk_") and "shown only now" in made.stderr
    reader = cli(tmp_path, ops, "keys", "create", "--name", "analyst", "--scope", "read")
    read_key = reader.stdout.strip()
    listed = cli(tmp_path, ops, "keys", "list").stdout
    assert "ops laptop" in listed and "analyst" in listed and ops not in listed

    issued = request(
        "POST",
        f"{stack.api}/v1/programs/beans/referrers",
        {"email": "jane@example.com", "name": "Jane Doe"},
        {"User-Agent": JANE},
    ).json()
    # Her stats token, as the shop's server asks for it (a browser is not answered it).
    issued = request(
        "POST",
        f"{stack.api}/v1/programs/beans/referrers",
        {"email": "jane@example.com"},
        {"Authorization": f"Bearer {KEY}"},
    ).json()
    # Jane follows her own link: her browser's click names her as the referrer below.
    request("GET", f"{stack.api}/r/{issued['code']}", headers={"User-Agent": JANE})
    for order in ("o1", "o2"):
        # Jane buys through her own link, from her own browser: a self-referral.
        answer = request(
            "POST",
            f"{stack.api}/v1/programs/beans/beacon",
            json.dumps(
                {"event": "purchase", "order_id": order, "amount": 30, "ref": issued["code"]}
            ).encode(),
            {"User-Agent": JANE, "Content-Type": "text/plain"},
        )
        assert answer.status == 201 and answer.json()["status"] == "review"

    queue = cli(tmp_path, read_key, "review").stdout
    assert "purchase:o1" in queue and "purchase:o2" in queue
    assert "self_referral:visitor" in queue
    denied = cli(tmp_path, read_key, "review", "approve", "purchase:o1", ok=False)
    assert "403" in denied.stderr
    approved = cli(tmp_path, ops, "review", "approve", "purchase:o1").stdout
    assert "purchase:o1: recorded by ops laptop" in approved
    assert approved.count("rw_") == 2
    rejected = cli(tmp_path, ops, "review", "reject", "purchase:o2", "--reason", "own order")
    assert "rejected by ops laptop: own order" in rejected.stdout
    assert "purchase:o2" in cli(tmp_path, ops, "review", "--status", "rejected").stdout
    stats = request("GET", f"{stack.api}/v1/stats/{issued['stats_token']}").json()
    assert (stats["purchases"], stats["revenue"]) == (1, {"USD": 30})

    exported = json.loads(cli(tmp_path, read_key, "export", "jane@example.com").stdout)
    assert exported["referrer"]["name"] == "Jane Doe"
    forgotten = cli(tmp_path, ops, "forget", "jane@example.com").stdout
    assert f"referrer {issued['code']} erased" in forgotten
    again = json.loads(cli(tmp_path, read_key, "export", "jane@example.com").stdout)
    assert again["referrer"] is None

    keys = json.loads(cli(tmp_path, ops, "keys", "list", "--json").stdout)
    key_id = next(key["id"] for key in keys if key["name"] == "analyst")
    assert key_id in listed
    cli(tmp_path, ops, "keys", "revoke", key_id)
    refused = cli(tmp_path, read_key, "review", ok=False)
    assert "401" in refused.stderr and "revoked" in refused.stderr
