"""The webhook secrets of `referbee dev`: a program that names none in referbee.yaml gets the
one from the environment (`REFERBEE_STRIPE_WEBHOOK_SECRET`, `REFERBEE_SHOPIFY_WEBHOOK_SECRET`),
else one made once and kept in the state folder, so test events can be signed (`referbee hooks
send`) without a Stripe or Shopify account. `referbee dev` prints them when it starts."""

from __future__ import annotations

import copy
import os
import secrets
from pathlib import Path
from typing import Any

ENVIRONMENT = {
    "stripe": "REFERBEE_STRIPE_WEBHOOK_SECRET",
    "shopify": "REFERBEE_SHOPIFY_WEBHOOK_SECRET",
}
_PREFIX = {"stripe": "whsec_", "shopify": ""}


def dev_secret(state: Path, provider: str, *, create: bool = True) -> str | None:
    """The environment's secret for `provider`, else the state folder's (made if missing and
    `create`)."""
    given = os.environ.get(ENVIRONMENT[provider], "").strip()
    if given:
        return given
    path = state / f"{provider}_webhook_secret"
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_PREFIX[provider] + secrets.token_hex(24))
        path.chmod(0o600)
    return path.read_text().strip()


def with_dev_secrets(document: dict[str, Any], state: Path) -> dict[str, Any]:
    """The config with the dev secrets filled in for programs that set none."""
    filled = copy.deepcopy(document)
    for program in filled.get("programs", []):
        payments = program.setdefault("payments", {})
        for provider in ENVIRONMENT:
            section = payments.setdefault(provider, {})
            if not section.get("webhook_secret"):
                section["webhook_secret"] = dev_secret(state, provider)
    return filled
