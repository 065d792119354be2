"""Rewards on `referbee dev`, over real HTTP: coupons loaded with the CLI, a purchase issues
both sides' rewards, the scheduled work (run by the dev stack) writes the referrer's email as
a readable .eml and delivers signed webhooks, and the CLI shows the log and refunds."""

from __future__ import annotations

import email
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest

from tests.functional.test_webhooks import documented_verifier
from tests.incentives import WEBHOOK_SECRET
from tests.receiver import Receiver

from .stack import DevStack, request

pytestmark = pytest.mark.e2e

KEY = "rk_e2e_admin_key_for_rewards_0123456789"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def stack(tmp_path: Path, receiver: Receiver) -> Iterator[DevStack]:
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
                    "friend": {"text": "A welcome coupon", "kind": "coupon", "pool": "welcome"},
                },
                "webhooks": [{"url": receiver.url, "secret": WEBHOOK_SECRET}],
                "emails": {"from": "Bean There <rewards@beans.example>"},
            }
        ]
    }
    (tmp_path / "referbee.yaml").write_text(json.dumps(config))  # JSON is YAML too
    running.start()
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def cli(workdir: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "referbee.cli", *args, "--program", "beans", "--admin-key", KEY],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def wait_for(check: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.25)
    raise AssertionError("timed out")


def test_a_reward_produces_an_eml_and_signed_webhooks(
    stack: DevStack, tmp_path: Path, receiver: Receiver
) -> None:
    (tmp_path / "codes.txt").write_text("code\nWELCOME-1\nWELCOME-2\n\n# spare\n")
    added = cli(tmp_path, "coupons", "add", "--pool", "welcome", "codes.txt")
    assert "2 added, 0 already known, 2 available" in added

    auth = {"Authorization": f"Bearer {KEY}"}
    issued = request(  # as the shop's server asks: answered with the stats link
        "POST",
        f"{stack.api}/v1/programs/beans/referrers",
        {"email": "jane@example.com", "name": "Jane"},
        auth,
    ).json()
    purchase = {"event": "purchase", "order_id": "A-1", "amount": 30, "ref": issued["code"]}
    created = request("POST", f"{stack.api}/v1/programs/beans/conversions", purchase, auth)
    assert created.status == 201, created.body
    rewards = {r["side"]: r for r in created.json()["rewards"]}
    assert rewards["referrer"]["status"] == "approved"
    assert rewards["friend"]["coupon"] in ("WELCOME-1", "WELCOME-2")

    outbox = tmp_path / ".referbee" / "dev" / "outbox"
    wait_for(lambda: list(outbox.glob("*.eml")))
    [path] = list(outbox.glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert message["To"] == "Jane <jane@example.com>"
    assert message["Subject"] == "You earned $10 store credit"
    body = message.get_content()
    assert f"{stack.api}/r/{issued['code']}" in body
    assert issued["stats_url"] in body
    assert f"{stack.api}/v1/unsubscribe/" in body

    wait_for(lambda: len(receiver.received) >= 5)
    types = sorted(json.loads(r.body)["type"] for r in receiver.received)
    assert types == [
        "conversion.created",
        "reward.approved",
        "reward.approved",
        "reward.issued",
        "reward.issued",
    ]
    verify = documented_verifier()
    assert all(verify(WEBHOOK_SECRET, r.headers, r.body) for r in receiver.received)

    log = cli(tmp_path, "webhooks", "log")
    assert log.count("delivered") == 6  # five webhooks and the email
    listed = cli(tmp_path, "rewards", "list")
    assert "Pay to" in listed.splitlines()[1]  # a header row, under the table's top border
    assert "Jane <jane@example.com>" in listed and "$10.00" in listed
    assert "nobody: the coupon code" in listed  # the friend's coupon is not a payout
    rows = json.loads(cli(tmp_path, "rewards", "list", "--json"))
    assert sorted((r["status"], r["side"], r["payable"]) for r in rows) == [
        ("approved", "friend", False),
        ("approved", "referrer", True),
    ]
    as_csv = cli(tmp_path, "rewards", "list", "--csv").splitlines()
    assert as_csv[0].startswith("reward_id,status,side,pay_to,") and len(as_csv) == 3
    refunded = cli(tmp_path, "conversions", "refund", "A-1")
    assert refunded.startswith("A-1: refunded") and refunded.count("void") == 2
    status = json.loads(cli(tmp_path, "coupons", "status", "--json"))
    assert status == [{"pool": "welcome", "available": 1, "used": 1, "waiting": 0}]
    assert "Handed out" in cli(tmp_path, "coupons", "status")
    stats = request("GET", f"{stack.api}/v1/stats/{issued['stats_token']}").json()
    assert (stats["purchases"], stats["rewards"]["earned"]) == (0, 0)
