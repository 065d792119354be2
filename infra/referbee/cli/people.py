"""`referbee export` and `referbee forget`: what a program holds about one person."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from ..admin.client import AdminClient, quoted
from ..formats import things
from .options import admin_api, fails_cleanly


def _person_command(command: Callable[..., None]) -> click.Command:
    """A command over the admin API about the person with EMAIL."""
    return click.command()(admin_api(click.argument("email")(fails_cleanly(command))))


@_person_command
def forget(program: str, api: str | None, admin_key: str, email: str) -> None:
    """Erase EMAIL's personal data from PROGRAM; anonymous counts keep their values."""
    answer = _ask_about_person(api, admin_key, program, "forget", email)
    referrer = f"referrer {answer['referrer']} erased" if answer["referrer"] else "no referrer"
    conversions = things(answer["conversions"], "conversion", "conversions")
    emails = things(answer["emails_deleted"], "stored email", "stored emails")
    click.echo(f"{program}: {referrer}, {conversions} as a customer cleared, {emails} deleted")


@_person_command
def export(program: str, api: str | None, admin_key: str, email: str) -> None:
    """Print everything PROGRAM holds about EMAIL, as JSON."""
    answer = _ask_about_person(api, admin_key, program, "export", email)
    click.echo(json.dumps(answer, indent=2, ensure_ascii=False))


def _ask_about_person(
    api: str | None, admin_key: str, program: str, action: str, email: str
) -> Any:
    path = f"/v1/programs/{quoted(program)}/people/{action}"
    return AdminClient(api, admin_key).call("POST", path, {"email": email})
