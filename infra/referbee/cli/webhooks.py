"""`referbee webhooks log`."""

from __future__ import annotations

import click

from .options import admin_api, fails_cleanly, limit_option
from .output import listing_options, show


@click.group()
def webhooks() -> None:
    """See what was delivered to your webhook endpoints (and emails)."""


@webhooks.command("log")
@admin_api
@limit_option(500, 50, "At most this many delivery attempts, newest first.")
@listing_options
@fails_cleanly
def webhooks_log(
    program: str, api: str | None, admin_key: str, limit: int, shape: str | None
) -> None:
    """The latest delivery attempts, newest first: event, target, attempt, outcome."""
    from ..admin.client import AdminClient, quoted
    from ..admin.listings import DELIVERIES

    answer = AdminClient(api, admin_key).call(
        "GET", f"/v1/programs/{quoted(program)}/webhooks/log?limit={limit}"
    )
    show(answer["deliveries"], DELIVERIES, shape, empty="no deliveries yet")
