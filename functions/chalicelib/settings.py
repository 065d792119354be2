"""Runtime settings, read from environment variables (set by `referbee dev` / `referbee deploy`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PROGRAMS_FILE = Path(__file__).with_name("programs.json")


@dataclass(frozen=True)
class Settings:
    table: str
    region: str
    dynamodb_endpoint: str | None
    secret: str
    programs_file: Path
    api_url: str | None
    site_url: str
    # Deployed: an SSM SecureString holding the server and identity secrets (see deps.py).
    secrets_parameter: str | None = None
    outbox: Path | None = None  # emails go here as .eml files (referbee dev) instead of SES
    visitor_salt_days: int = 0  # rotate visitor hashes every N days (0: never; privacy.md)
    # The table's stream (deployed): its records feed the program rollups (api/rollups.py).
    stream_arn: str | None = None
    # Where Stripe's API is (its own address unless set: a stand-in for tests and demos).
    stripe_api_base: str | None = None
    # Deployed: where referral links point (the Function URL, or https://{link_domain}).
    link_url: str | None = None
    # Added to a 401 of the admin API: where to find a key (`referbee dev` sets it).
    admin_key_hint: str = ""
    # `referbee dev` only: a file holding seconds to add to the clock (tests move time).
    clock_offset_file: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            table=env.get("REFERBEE_TABLE", "referbee"),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            dynamodb_endpoint=env.get("REFERBEE_DYNAMODB_ENDPOINT") or None,
            secret=env.get("REFERBEE_SECRET", ""),
            programs_file=Path(env.get("REFERBEE_PROGRAMS_FILE") or DEFAULT_PROGRAMS_FILE),
            api_url=(env.get("REFERBEE_API_URL") or "").rstrip("/") or None,
            site_url=(env.get("REFERBEE_SITE_URL") or "").rstrip("/"),
            secrets_parameter=env.get("REFERBEE_SECRETS_PARAMETER") or None,
            outbox=Path(env["REFERBEE_OUTBOX"]) if env.get("REFERBEE_OUTBOX") else None,
            visitor_salt_days=_whole_number(env.get("REFERBEE_VISITOR_SALT_DAYS", "")),
            stream_arn=env.get("REFERBEE_STREAM_ARN") or None,
            stripe_api_base=env.get("REFERBEE_STRIPE_API_BASE") or None,
            link_url=(env.get("REFERBEE_LINK_URL") or "").rstrip("/") or None,
            admin_key_hint=env.get("REFERBEE_ADMIN_KEY_HINT", "").strip(),
            clock_offset_file=(
                Path(env["REFERBEE_CLOCK_OFFSET_FILE"])
                if env.get("REFERBEE_CLOCK_OFFSET_FILE")
                else None
            ),
        )


def _whole_number(raw: str) -> int:
    return int(raw) if raw.strip().isdigit() else 0
