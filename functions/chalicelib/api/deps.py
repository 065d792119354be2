"""Builds the domain context once per Lambda container, on first use (never at import)."""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass, field
from typing import Any

from ..domain.config.programs import DEMO_CONFIG, parse_programs
from ..domain.context import Context
from ..domain.referrals.clicks import KnownCodes
from ..domain.trust.ratelimits import BurstLimiter
from ..domain.trust.signing import Signer
from ..model.clock import Clock, OffsetClock, SystemClock
from ..model.errors import UnavailableError
from ..model.program import Catalogue
from ..settings import Settings
from ..store.dynamo import DynamoStore

_override: Context | None = None


@dataclass(frozen=True)
class RuntimeSecrets:
    """The server secret (signs tokens and click ids), each program's identity secret and
    its payment providers' webhook secrets."""

    secret: str
    identity_secrets: dict[str, str] = field(default_factory=dict)
    payment_secrets: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)


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
    known_codes.cache_clear()
    stats_limiter.cache_clear()
    use_context(None)


@functools.cache
def known_codes() -> KnownCodes:
    return KnownCodes()


@functools.cache
def stats_limiter() -> BurstLimiter:
    return BurstLimiter()


@functools.cache
def _context() -> Context:
    config = settings()
    secrets = load_secrets(config)
    if len(secrets.secret) < 16:
        raise UnavailableError(
            "referbee is not configured: REFERBEE_SECRET is missing or too short."
        )
    return Context(
        store=DynamoStore(dynamodb_client(), config.table, dynamodb_client(retries=False)),
        catalogue=load_catalogue(config, secrets),
        signer=Signer(secrets.secret.encode(), visitor_salt_days=config.visitor_salt_days),
        clock=clock_of(config),
    )


def clock_of(config: Settings) -> Clock:
    """The system clock, except under `referbee dev` (a local database), whose tests may move
    it with a clock offset file: a deployed function's time is never anyone's to move."""
    if config.clock_offset_file is not None and config.dynamodb_endpoint is not None:
        return OffsetClock(config.clock_offset_file)
    return SystemClock()


def load_secrets(config: Settings) -> RuntimeSecrets:
    """Deployed, the secrets live in one SSM SecureString, read once per cold start (the
    context is cached), so they never sit in clear in the function's configuration or code
    package. Locally they come from the environment."""
    if config.secrets_parameter is None:
        return RuntimeSecrets(config.secret)
    from aws_lambda_powertools.utilities import parameters

    try:
        raw = parameters.get_parameter(config.secrets_parameter, decrypt=True, max_age=3600)
        document = json.loads(str(raw))
        return RuntimeSecrets(
            str(document["secret"]),
            dict(document.get("identity_secrets", {})),
            dict(document.get("payment_secrets", {})),
        )
    except (parameters.exceptions.GetParameterError, ValueError, KeyError, TypeError) as exc:
        raise UnavailableError("referbee could not read its secrets; please retry.") from exc


def load_catalogue(config: Settings, secrets: RuntimeSecrets | None = None) -> Catalogue:
    document: Any = copy.deepcopy(DEMO_CONFIG)
    if config.programs_file.exists():
        document = json.loads(config.programs_file.read_text())
    known = secrets or RuntimeSecrets("")
    for program in document.get("programs", []):
        # Deployed programs.json carries no secrets: they are merged in from SSM.
        if not isinstance(program, dict):
            continue
        if program.get("id") in known.identity_secrets:
            program["identity_secret"] = known.identity_secrets[program["id"]]
        for provider, kept in known.payment_secrets.get(str(program.get("id")), {}).items():
            program.setdefault("payments", {}).setdefault(provider, {}).update(kept)
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
            # botocore's "max_attempts" counts the retries alone (1 sent a click's write
            # twice after a timeout, and the click was counted twice); this counts them all.
            retries={"mode": "standard", "total_max_attempts": 2 if retries else 1},
            tcp_keepalive=True,
        ),
    )
