"""Shared fixtures: a test config, domain contexts over both store twins, and the API."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

from chalicelib.api import deps
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.model.program import Catalogue
from chalicelib.store.dynamo import DynamoStore
from chalicelib.store.memory import MemoryStore
from chalicelib.store.table import create_table
from tests.common import (
    NOW,
    SECRET,
    config_document,
    install_keys,
)


@pytest.fixture
def catalogue() -> Catalogue:
    return parse_programs(config_document())


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def memory_ctx(catalogue: Catalogue, clock: FixedClock) -> Context:
    return Context(MemoryStore(), catalogue, Signer(SECRET), clock)


@pytest.fixture
def dynamo_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A table in moto. moto's in-process backend is not atomic across threads, while
    DynamoDB's conditional writes are; one lock around each request restores that. Cancelled
    transactions roll back by the items they name, as in `referbee dev`'s embedded database."""
    from moto import mock_aws
    from moto.core.responses import BaseResponse

    from referbee.devstack.transactions import roll_back_transactions_by_key

    roll_back_transactions_by_key()

    lock = threading.Lock()
    call_action = BaseResponse.call_action

    def atomic_call_action(self: Any) -> Any:
        with lock:
            return call_action(self)

    monkeypatch.setattr(BaseResponse, "call_action", atomic_call_action)
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "referbee-test")
        yield client


@pytest.fixture
def dynamo_store(dynamo_client: Any) -> DynamoStore:
    """As in production: a second client without retries serves the click path."""
    import boto3
    from botocore.config import Config

    click_client = boto3.client(
        "dynamodb",
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    return DynamoStore(dynamo_client, "referbee-test", click_client)


@pytest.fixture
def dynamo_ctx(dynamo_store: DynamoStore, catalogue: Catalogue, clock: FixedClock) -> Context:
    return Context(dynamo_store, catalogue, Signer(SECRET), clock)


@pytest.fixture
def api(dynamo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The Chalice app over moto, through chalice.test.Client."""
    from chalice.test import Client

    from app import app

    monkeypatch.setenv("REFERBEE_API_URL", "https://api.example.net")
    monkeypatch.setenv("REFERBEE_SITE_URL", "https://refer.example.net")
    deps.reset()
    deps.use_context(dynamo_ctx)
    install_keys(dynamo_ctx.store)
    with Client(app) as client:
        yield client
    deps.reset()
