"""`referbee dev` with the analytics scenario (tests/analytics_scenario.py) written into its
database through the domain services, with their clock moved back over the last 40 days;
the stack's own stream poller rolls it up."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.trust.admin_keys import hash_key
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.model.records import AdminKey
from chalicelib.store.dynamo import DynamoStore
from tests import analytics_scenario as scenario
from tests.e2e.stack import DevStack, request

ADMIN_KEY = "rk_analytics_admin_key_0123456789"
READ_KEY = "rk_analytics_read_key_0123456789"
TEA_KEY = "rk_analytics_tea_only_key_0123456789"  # may read program 'tea' only


@dataclass
class AnalyticsStack:
    stack: DevStack
    ctx: Context
    seeded: scenario.Seeded

    @property
    def today(self) -> date:
        return self.seeded.today

    def report(self, query: str = "since=30d", key: str = READ_KEY) -> Any:
        url = f"{self.stack.api}/v1/programs/beans/analytics?{query}"
        return request("GET", url, headers={"Authorization": f"Bearer {key}"})


def start_analytics_stack(workdir: Path) -> AnalyticsStack:
    stack = DevStack(workdir, ADMIN_KEY)
    (workdir / "referbee.yaml").write_text(json.dumps({"programs": [scenario.PROGRAM]}))
    stack.start()
    ctx = _context(stack, workdir)
    for key, scope, programs in ((READ_KEY, "read", ("beans",)), (TEA_KEY, "read", ("tea",))):
        ctx.store.admin_keys.put_admin_key(
            AdminKey(hash_key(key), "tests", programs, scope, time.time())
        )
    seeded = scenario.seed(ctx, datetime.now(UTC).date())
    running = AnalyticsStack(stack, ctx, seeded)
    _wait_for_rollups(running)
    return running


def _context(stack: DevStack, workdir: Path) -> Context:
    match = re.search(r"DynamoDB\s+(http://\S+)", stack.output())
    assert match, stack.output()
    client = boto3.client(
        "dynamodb",
        endpoint_url=match.group(1),
        region_name="us-east-1",
        aws_access_key_id="referbee-dev",
        aws_secret_access_key="referbee-dev",
    )
    secret = (workdir / ".referbee" / "dev" / "secret").read_text().strip()
    return Context(
        DynamoStore(client, "referbee-dev"),
        parse_programs({"programs": [scenario.PROGRAM]}),
        Signer(secret.encode()),
        FixedClock(time.time()),
    )


def _wait_for_rollups(running: AnalyticsStack, timeout: float = 60) -> None:
    """Until the stack's poller has rolled the whole scenario up (its last write is the paid
    reward)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        reply = running.report()
        if reply.status == 200:
            last = reply.json()["kpis"]
            if last["rewards"]["paid"]["count"] == 1 and last["clicks"] == 13:
                return
        time.sleep(0.3)
    raise AssertionError(f"the rollups did not catch up: {last}")
