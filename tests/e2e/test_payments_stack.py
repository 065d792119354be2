"""Stripe and Shopify webhooks over real HTTP against `referbee dev`: it prints where to send
them with which secret (from the environment, or one it keeps), `referbee hooks send` posts a
signed test event, and `referbee hooks replay` sends every recorded sequence of
tests/payments/sequences/ (delivered twice and out of order) and finds the rewards and stats
each one must end in."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.hooks import REWARDS

from .stack import DevStack, request

pytestmark = pytest.mark.e2e

KEY = "rk_e2e_admin_key_for_tests_0123456789"
STRIPE_SECRET = "whsec_from_the_environment_0123456789"
SEQUENCES = Path(__file__).parents[1] / "payments" / "sequences"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    workdir = tmp_path_factory.mktemp("payments")
    program: dict[str, Any] = {
        "id": "shop",
        "name": "Test Shop",
        "landing_url": "http://localhost:8001/shop/",
        "allowed_hosts": ["localhost", "127.0.0.1"],
        "currency": "USD",
        "rewards": REWARDS,
        "emails": {"from": "Test Shop <rewards@shop.example>"},
    }
    (workdir / "referbee.yaml").write_text(yaml.safe_dump({"programs": [program]}))
    os.environ["REFERBEE_STRIPE_WEBHOOK_SECRET"] = STRIPE_SECRET
    try:
        running = DevStack(workdir, KEY).start()
    finally:
        del os.environ["REFERBEE_STRIPE_WEBHOOK_SECRET"]
    yield running
    if running.process and running.process.poll() is None:
        running.stop()


def referbee(stack: DevStack, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "referbee.cli", *args],
        cwd=stack.workdir,
        env={**os.environ, "REFERBEE_ADMIN_KEY": KEY, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_banner_says_where_webhooks_go_and_with_which_secret(stack: DevStack) -> None:
    output = stack.output()
    assert f"{stack.api}/v1/programs/shop/hooks/stripe  secret {STRIPE_SECRET}" in output
    shopify = re.search(rf"{stack.api}/v1/programs/shop/hooks/shopify  secret (\S+)", output)
    assert shopify is not None
    kept = (stack.workdir / ".referbee" / "dev" / "shopify_webhook_secret").read_text()
    assert shopify.group(1) == kept.strip()


def test_hooks_send_posts_a_signed_checkout_that_credits_the_referrer(stack: DevStack) -> None:
    joined = request(
        "POST",
        f"{stack.api}/v1/programs/shop/referrers",
        {"email": "sender@example.com", "name": "Sam Sender"},
        {"Authorization": f"Bearer {KEY}"},  # as the shop's server: with the stats token
    )
    referrer = joined.json()
    sent = referbee(
        stack,
        "hooks",
        "send",
        "stripe",
        "checkout.session.completed",
        "--ref",
        referrer["code"],
        "--amount",
        "49.00",
        REFERBEE_STRIPE_WEBHOOK_SECRET=STRIPE_SECRET,
    )
    assert sent.returncode == 0, sent.stderr
    assert "checkout.session.completed cs_test_" in sent.stdout
    assert "200 recorded" in sent.stdout
    stats = request("GET", f"{stack.api}/v1/stats/{referrer['stats_token']}").json()
    assert (stats["purchases"], stats["revenue"]) == (1, {"USD": 49})
    wrong = referbee(
        stack,
        "hooks",
        "send",
        "stripe",
        "invoice.paid",
        "--amount",
        "5",
        "--secret",
        "whsec_not_the_right_one_0123456789",
    )
    assert wrong.returncode == 1 and "400" in wrong.stdout


@pytest.mark.parametrize("name", sorted(path.name for path in SEQUENCES.iterdir()))
def test_every_recorded_sequence_replays_to_its_expected_end(stack: DevStack, name: str) -> None:
    secret = {"REFERBEE_STRIPE_WEBHOOK_SECRET": STRIPE_SECRET}
    replayed = referbee(stack, "hooks", "replay", str(SEQUENCES / name), **secret)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert f"{name}: ended as expected" in replayed.stdout
    again = re.search(r"run (\w+)\)", replayed.stdout)
    assert again is not None
    repeated = referbee(
        stack, "hooks", "replay", str(SEQUENCES / name), "--run", again.group(1), **secret
    )
    # The same run again (the same referrer, the same event ids): every event is answered
    # as a duplicate (or ignored, a type referbee does not read) and nothing changes.
    assert repeated.returncode == 0, repeated.stdout + repeated.stderr
    answers = [line.split(": ", 1)[1] for line in repeated.stdout.splitlines() if ".json: " in line]
    assert answers and all(a.startswith(("200 duplicate", "200 ignored")) for a in answers)
