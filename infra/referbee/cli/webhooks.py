"""`referbee webhooks log`."""

from __future__ import annotations

import click

from .options import admin_api, fails_cleanly, limit_option


@click.group()
def webhooks() -> None:
    """See what was delivered to your webhook endpoints (and emails)."""


@webhooks.command("log")
@admin_api
@limit_option(500, 50, "At most this many delivery attempts, newest first.")
@fails_cleanly
def webhooks_log(program: str, api: str | None, admin_key: str, limit: int) -> None:
    """The latest delivery attempts, newest first: event, target, attempt, outcome."""
    from ..admin.client import AdminClient
    from ..admin.listings import log_lines

    answer = AdminClient(api, admin_key).call(
        "GET", f"/v1/programs/{program}/webhooks/log?limit={limit}"
    )
    for line in log_lines(answer["deliveries"]) or ["no deliveries yet"]:
        click.echo(line)
