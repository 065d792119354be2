"""`referbee referrers`: a program's referrers, over the admin API."""

from __future__ import annotations

import click

from ..admin.client import AdminClient, quoted
from .options import admin_api, fails_cleanly


@click.group()
def referrers() -> None:
    """Manage a program's referrers (needs a write key)."""


@referrers.command("rotate-token")
@admin_api
@click.argument("email", required=False)
@click.option("--ref", help="The referrer's code, instead of their EMAIL.")
@fails_cleanly
def rotate_token(
    program: str, api: str | None, admin_key: str, email: str | None, ref: str | None
) -> None:
    """Give the referrer with EMAIL (or --ref) a new stats link: the old one stops working."""
    if (email is None) == (ref is None):
        raise click.UsageError("give the referrer's EMAIL or --ref CODE (one of them)")
    body = {"email": email} if email is not None else {"ref": ref}
    path = f"/v1/programs/{quoted(program)}/referrers/rotate-token"
    answer = AdminClient(api, admin_key).call("POST", path, body)
    click.echo(f"{answer['code']}: new stats link {answer['stats_url']}")
    click.echo("The previous stats link no longer works.")
