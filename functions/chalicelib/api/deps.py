"""Builds the domain context once per Lambda container, on first use (never at import)."""

from __future__ import annotations

import functools
import json
from typing import Any

from ..domain.clicks import KnownCodes
from ..domain.clock import SystemClock
from ..domain.context import Context
from ..domain.errors import UnavailableError
from ..domain.programs import DEMO_CONFIG, Catalogue, parse_programs
from ..domain.signing import Signer
from ..settings import Settings
from ..store.dynamo import DynamoStore

_override: Context | None = None


@functools.cache
def settings() -> Settings:
    return Settings.from_env()


def context() -> Context:
    if _override is not None:
        return _override
    return _context()


def use_context(ctx: Context | None) -> None:
    """Serve requests with `ctx` (tests and benchmarks); None goes back to the real one."""
    global _override
    _override = ctx


def reset() -> None:
    """Forget everything built from the environment (tests change it between cases)."""
    settings.cache_clear()
    _context.cache_clear()
    dynamodb_client.cache_clear()
    use_context(None)


@functools.cache
def known_codes() -> KnownCodes:
    return KnownCodes()


@functools.cache
def _context() -> Context:
    config = settings()
    if len(config.secret) < 16:
        raise UnavailableError("refkit is not configured: REFKIT_SECRET is missing or too short.")
    return Context(
        store=DynamoStore(dynamodb_client(), config.table, dynamodb_client(retries=False)),
        catalogue=load_catalogue(config),
        signer=Signer(config.secret.encode()),
        clock=SystemClock(),
    )


def load_catalogue(config: Settings) -> Catalogue:
    document: Any = DEMO_CONFIG
    if config.programs_file.exists():
        document = json.loads(config.programs_file.read_text())
    return parse_programs(document)


@functools.cache
def dynamodb_client(retries: bool = True) -> Any:
    """The DynamoDB client; `retries=False` gives the click path's fail-fast twin."""
    import boto3
    from botocore.config import Config

    config = settings()
    return boto3.client(
        "dynamodb",
        region_name=config.region,
        endpoint_url=config.dynamodb_endpoint,
        # Short timeouts: a slow database must not hold a visitor or a caller for long.
        config=Config(
            connect_timeout=1,
            read_timeout=2,
            retries={"mode": "standard", "max_attempts": 2 if retries else 1},
            tcp_keepalive=True,
        ),
    )
