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

from chalicelib.domain.config.programs import parse_programs

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
    """The config with the dev secrets filled in for programs that set none, checked as
    referbee.yaml is (a secret from the environment must pass the same checks)."""
    filled = copy.deepcopy(document)
    for program in filled.get("programs", []):
        payments = program.setdefault("payments", {})
        for provider in ENVIRONMENT:
            section = payments.setdefault(provider, {})
            if not section.get("webhook_secret"):
                section["webhook_secret"] = dev_secret(state, provider)
    parse_programs(filled)
    return filled


def webhook_lines(api_url: str, document: dict[str, Any], state: Path) -> list[str]:
    """The start-up banner's lines on payments: the first program's two webhook addresses and
    the secret each is verified with (the program's own, else the dev one)."""
    program, state = document["programs"][0], state.resolve()
    lines = [
        "Payments: point Stripe's and Shopify's webhooks here (docs/payments.md), or send tests",
        "  (referbee hooks send stripe checkout.session.completed --ref CODE --amount 49.00):",
    ]
    for provider, name in (("stripe", "Stripe"), ("shopify", "Shopify")):
        own = ((program.get("payments") or {}).get(provider) or {}).get("webhook_secret")
        secret = str(own) if own else (dev_secret(state, provider) or "")
        hook = f"{api_url}/v1/programs/{program['id']}/hooks/{provider}"
        lines.append(f"  {name:<8} {hook}  secret {secret}")
    return [*lines, ""]
