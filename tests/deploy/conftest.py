"""Fixtures for the deploy tests: moto's server on a free port, the AWS environment pointed
at it, and `referbee` invoked as its users invoke it (through the click command)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from referbee.cli import main

from .moto_aws import MotoSwaggerAdapter, aws_env, moto_server, reset

IDENTITY_SECRET = "beans-identity-secret-0123"
SENDER = "rewards@beanthere.example"  # the program's `emails.from` address
CONFIG = f"""\
programs:
  - id: beans
    name: Bean There Coffee
    landing_url: https://beanthere.example/welcome
    identity_secret: {IDENTITY_SECRET}
    rewards:
      referrer: {{text: "$10 store credit", kind: credit, amount: 10}}
      friend: {{text: "15% off your first order", kind: percent, percent: 15}}
    emails:
      from: "Bean There <{SENDER}>"
"""


@dataclass
class Referbee:
    """Runs `referbee ...` in `workdir` against moto."""

    endpoint: str
    workdir: Path

    def __call__(self, *args: str, input: str | None = None) -> Result:
        previous = Path.cwd()
        os.chdir(self.workdir)
        try:
            return CliRunner().invoke(main, list(args), input=input)
        finally:
            os.chdir(previous)


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def aws(moto_endpoint: str) -> Iterator[str]:
    """The AWS environment pointed at moto, and Chalice's Swagger import adapted for it."""
    from referbee.deploy import app as deploy_app

    with pytest.MonkeyPatch.context() as patch:
        for name, value in aws_env(moto_endpoint).items():
            patch.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
            patch.delenv(name, raising=False)
        patch.setattr(deploy_app, "chalice_client", _adapted_client)
        yield moto_endpoint


@pytest.fixture
def fresh_aws(aws: str) -> Iterator[str]:
    reset(aws)
    yield aws
    reset(aws)


def make_workdir(path: Path, config: str = CONFIG) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "referbee.yaml").write_text(config)
    return path


def _adapted_client(aws: Any) -> MotoSwaggerAdapter:
    return MotoSwaggerAdapter(aws.botocore_session)
