"""One AWS session for a deployment: profile, region and account resolved up front, so a
missing credential or a mistyped region stops everything before anything is created."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
)

from .errors import DeployError

_CLIENT_CONFIG = Config(
    connect_timeout=10, read_timeout=60, retries={"mode": "standard", "max_attempts": 5}
)


@dataclass
class Aws:
    """Clients for one account and region; `botocore_session` is what Chalice deploys with."""

    botocore_session: botocore.session.Session
    region: str
    account: str
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _session: boto3.Session | None = None

    def client(self, service: str, region: str | None = None) -> Any:
        """A client of `service` in the stage's region (or `region`: CloudFront's
        certificates live in us-east-1)."""
        if self._session is None:
            # One boto3 session per botocore session: boto3 registers its handlers on it.
            self._session = boto3.Session(botocore_session=self.botocore_session)
        where = region or self.region
        if (service, where) not in self._clients:
            self._clients[(service, where)] = self._session.client(
                service,  # type: ignore[call-overload]
                region_name=where,
                config=_CLIENT_CONFIG,
            )
        return self._clients[(service, where)]


def connect(region: str | None, profile: str | None) -> Aws:
    """Resolve credentials, region and account, or raise DeployError saying what is missing."""
    try:
        return _connect(region, profile)
    except ProfileNotFound as exc:
        raise DeployError(
            f"the AWS profile '{profile}' does not exist; list yours with "
            "'aws configure list-profiles'"
        ) from exc


def _connect(region: str | None, profile: str | None) -> Aws:
    session = botocore.session.Session(profile=profile)
    resolved = region or session.get_config_variable("region")
    if not resolved:
        raise DeployError(
            "no AWS region: pass --region (e.g. --region eu-west-1) or set AWS_DEFAULT_REGION"
        )
    check_region(session, resolved)
    session.set_config_variable("region", resolved)
    if session.get_credentials() is None:
        raise DeployError(
            "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY, run 'aws configure', or pass --profile"
        )
    return Aws(session, resolved, _account_of(session, resolved))


def check_region(session: botocore.session.Session, region: str) -> None:
    known = {
        name
        for partition in session.get_available_partitions()
        for name in session.get_available_regions("dynamodb", partition_name=partition)
    }
    if region not in known:
        hint = difflib.get_close_matches(region, sorted(known), n=1)
        tip = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise DeployError(f"'{region[:40]}' is not an AWS region{tip}")


def failure(exc: Exception, doing: str) -> DeployError:
    """One line for an AWS error: what we were doing, AWS's code and message."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "Error"), error.get("Message", "")
        return DeployError(f"{doing} failed: {code}: {message}".rstrip(": "))
    if isinstance(exc, EndpointConnectionError):
        return DeployError(f"{doing} failed: cannot reach AWS ({exc.kwargs.get('endpoint_url')})")
    return DeployError(f"{doing} failed: {exc}")


AWS_ERRORS = (ClientError, BotoCoreError)


def error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def _account_of(session: botocore.session.Session, region: str) -> str:
    sts = _sts(session, region)
    try:
        return str(sts.get_caller_identity()["Account"])
    except NoCredentialsError as exc:
        raise DeployError(
            "no AWS credentials found: run 'aws configure' or pass --profile"
        ) from exc
    except ClientError as exc:
        raise DeployError(
            f"AWS did not accept the credentials ({error_code(exc)}): check the access key, "
            "or log in again with 'aws sso login' if you use SSO"
        ) from exc
    except BotoCoreError as exc:
        raise failure(exc, "checking the AWS credentials") from exc


def _sts(session: botocore.session.Session, region: str) -> Any:
    return session.create_client("sts", region_name=region, config=_CLIENT_CONFIG)
