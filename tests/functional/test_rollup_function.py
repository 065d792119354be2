"""The deployed rollup function: Chalice subscribes it to the table's stream when the stage
names the stream (or deploy subscribes the app it loaded), it takes Lambda's stream events
by its handler's name, and its role may read the stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from chalice.app import Chalice

from chalicelib.api.rollups import rollup_stream, subscribe
from chalicelib.domain.context import Context
from referbee.deploy.names import Names
from referbee.deploy.policy import rollup_policy
from tests.helpers import click, new_referrer
from tests.rollups import stream_reader

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/referbee-prod/stream/2026-11-01T00:00:00.000"
SHOW = (
    "import json; from app import app; "
    "print(json.dumps([[s.name, getattr(s, 'stream_arn', None), getattr(s, 'batch_size', None), "
    "getattr(s, 'starting_position', None)] for s in app.event_sources]))"
)


def event_sources(stream_arn: str | None) -> list[list[Any]]:
    env = {k: v for k, v in os.environ.items() if k != "REFERBEE_STREAM_ARN"}
    if stream_arn:
        env["REFERBEE_STREAM_ARN"] = stream_arn
    run = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=FUNCTIONS, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    found: list[list[Any]] = json.loads(run.stdout)
    return found


def test_the_app_subscribes_the_rollups_to_the_stage_stream() -> None:
    assert ["rollups", ARN, 1000, "TRIM_HORIZON"] in event_sources(ARN)
    assert not [source for source in event_sources(None) if source[0] == "rollups"]


def test_the_function_rolls_up_a_lambda_stream_event(api: Any, dynamo_ctx: Context) -> None:
    reader = stream_reader()
    code = new_referrer(api)["code"]
    click(api, code, query="?ch=email")
    records = reader.read(1000)
    assert records
    # As Lambda calls it: the handler's name finds Chalice's wrapper, given (event, context).
    rollup_stream({"Records": records}, None)
    rollup_stream({"Records": records}, None)  # delivered again
    day = next(iter(dynamo_ctx.store.rollups.read_rollups("shop", "2026-11-01").days.values()))
    assert (day["participants"], day["clicks"], day["ch.email.clicks"]) == (1, 1, 1)


def test_subscribing_an_app_again_points_its_one_rollup_function_at_the_new_stream() -> None:
    app = Chalice(app_name="referbee")
    other = ARN.replace("referbee-prod", "referbee-staging")
    subscribe(app, ARN)
    subscribe(app, other)
    (source,) = app.event_sources
    assert (source.name, source.stream_arn) == ("rollups", other)  # type: ignore[attr-defined]
    assert source.handler_string == "chalicelib.api.rollups.rollup_stream"


def test_the_role_may_read_the_stream_of_its_own_table_only() -> None:
    names = Names("prod", "eu-west-1", "123456789012")
    statements = {s["Sid"]: s for s in rollup_policy(names)["Statement"]}
    stream = statements["Stream"]
    assert sorted(stream["Action"]) == [
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
    ]
    assert stream["Resource"] == [
        "arn:aws:dynamodb:eu-west-1:123456789012:table/referbee-prod/stream/*"
    ]
    assert statements["Logs"]["Resource"] == [
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/referbee-prod-rollups:log-stream:*"
    ]
    assert all(r != "*" for s in statements.values() for r in s["Resource"])
