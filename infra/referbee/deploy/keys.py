"""The stage's secrets and its first admin key.

Secrets (the server secret that signs stats tokens and click ids, each program's
`identity_secret`, and its Stripe and Shopify webhook secrets) are kept in one SSM Parameter
Store SecureString, encrypted with the
account's aws/ssm key. The Lambda reads it once per cold start (one GetParameter, about
20-50 ms) and keeps it in memory. The alternative, Lambda environment variables, costs
nothing at cold start but shows every secret in clear to anyone allowed to read the
function's configuration; the parameter needs a separate, auditable permission."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from chalicelib.domain.trust.admin_keys import hash_key, new_key
from chalicelib.model.records import AdminKey
from chalicelib.store.dynamo import DynamoStore

from .names import Names
from .state import Outcome


def ensure_secrets(ssm: Any, names: Names, document: dict[str, Any]) -> tuple[Outcome, int]:
    """Write the secrets parameter when its content differs. The server secret is generated
    once and then kept: changing it would invalidate every stats link already sent."""
    identity = {
        str(p["id"]): str(p["identity_secret"])
        for p in document["programs"]
        if p.get("identity_secret")
    }
    current, version = _read(ssm, names.secrets_parameter)
    server_secret = (current or {}).get("secret") or secrets.token_urlsafe(32)
    wanted: dict[str, Any] = {"secret": server_secret, "identity_secrets": identity}
    payments = payment_secrets(document)
    if payments:
        wanted["payment_secrets"] = payments
    if current == wanted:
        return Outcome(False, f"{names.secrets_parameter} (version {version}): unchanged"), version
    version = ssm.put_parameter(
        Name=names.secrets_parameter,
        Description=f"referbee {names.stage}: server and identity secrets",
        Value=json.dumps(wanted, sort_keys=True),
        Type="SecureString",
        Overwrite=True,
    )["Version"]
    verb = "created" if current is None else "updated"
    return Outcome(True, f"{names.secrets_parameter} (version {version}): {verb}"), version


def delete_secrets(ssm: Any, names: Names) -> bool:
    try:
        ssm.delete_parameter(Name=names.secrets_parameter)
    except ssm.exceptions.ParameterNotFound:
        return False
    return True


PAYMENT_SECRETS = ("webhook_secret", "api_key")  # the secret fields of `payments.{provider}`


def payment_secrets(document: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """Each program's payment secrets by provider: `{"beans": {"stripe": {"webhook_secret":
    ..., "api_key": ...}}}`."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for program in document["programs"]:
        for provider, section in (program.get("payments") or {}).items():
            if not isinstance(section, dict):
                continue
            kept = {name: str(section[name]) for name in PAYMENT_SECRETS if section.get(name)}
            if kept:
                found.setdefault(str(program["id"]), {})[provider] = kept
    return found


def public_programs(document: dict[str, Any]) -> dict[str, Any]:
    """The programs as the Lambda package carries them: without any secret."""
    programs = []
    for program in document["programs"]:
        public = {key: value for key, value in program.items() if key != "identity_secret"}
        if isinstance(program.get("payments"), dict):
            public["payments"] = {
                provider: (
                    {k: v for k, v in section.items() if k not in PAYMENT_SECRETS}
                    if isinstance(section, dict)
                    else section
                )
                for provider, section in program["payments"].items()
            }
        programs.append(public)
    return {"programs": programs}


def ensure_admin_key(dynamodb: Any, table: str, known_hash: str | None) -> tuple[str | None, str]:
    """Create the first admin key unless the one created earlier is still there. Returns the
    key (only when new: it is shown once and stored only as a hash) and its hash."""
    store = DynamoStore(dynamodb, table)
    if known_hash and store.admin_keys.get_admin_key(known_hash) is not None:
        return None, known_hash
    key = new_key()
    digest = hash_key(key)
    store.admin_keys.put_admin_key(
        AdminKey(digest, "first admin key (referbee deploy)", ("*",), "write", time.time())
    )
    return key, digest


def _read(ssm: Any, name: str) -> tuple[dict[str, Any] | None, int]:
    try:
        parameter = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    except ssm.exceptions.ParameterNotFound:
        return None, 0
    try:
        value = json.loads(parameter["Value"])
    except ValueError:
        value = None
    return (value if isinstance(value, dict) else None), int(parameter["Version"])
