"""Fixtures for the deploy tests: moto's server on a free port, the AWS environment pointed
at it, and `referbee` invoked as its users invoke it (through the click command)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .moto_aws import MotoSwaggerAdapter, aws_env, moto_server, reset


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


def _adapted_client(aws: Any) -> MotoSwaggerAdapter:
    return MotoSwaggerAdapter(aws.botocore_session)
