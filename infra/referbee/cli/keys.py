"""`referbee keys`: a program's admin keys, over the admin API.

Like every admin command it talks to the API rather than to the table: the same command
works against `referbee dev` and a deployed stack with nothing but an admin key, and the API
enforces the rules (only a write key covering a program can create, list or revoke its keys,
and never grant more than it has). The first key of a stage comes from `referbee dev` or
`referbee deploy`, which write it to the table themselves."""

from __future__ import annotations

import click

from ..admin.client import AdminClient, quoted
from .options import admin_api, fails_cleanly
from .output import listing_options, show


@click.group()
def keys() -> None:
    """Create, list and revoke a program's admin keys (needs a write key)."""


@keys.command("create")
@admin_api
@click.option("--name", required=True, help="Who or what uses the key, e.g. 'shop server'.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="write",
    show_default=True,
    help="read: lists and exports only; write: also records, approves, refunds.",
)
@fails_cleanly
def keys_create(program: str, api: str | None, admin_key: str, name: str, scope: str) -> None:
    """Create a key for PROGRAM and print it once: only its hash is stored."""
    answer = AdminClient(api, admin_key).call(
        "POST", f"/v1/programs/{quoted(program)}/keys", {"name": name, "scope": scope}
    )
    click.echo(answer["key"])
    click.echo(
        f"id {answer['id']}  {answer['scope']}  '{answer['name']}' for {program}  "
        "(shown only now: store it safely)",
        err=True,
    )


@keys.command("list")
@admin_api
@listing_options
@fails_cleanly
def keys_list(program: str, api: str | None, admin_key: str, shape: str | None) -> None:
    """The keys that can act on PROGRAM: id, scope, name, created, revoked."""
    from ..admin.listings import KEYS

    answer = AdminClient(api, admin_key).call("GET", f"/v1/programs/{quoted(program)}/keys")
    show(answer["keys"], KEYS, shape, empty=f"no keys for {program}")


@keys.command("revoke")
@admin_api
@click.argument("key_id")
@fails_cleanly
def keys_revoke(program: str, api: str | None, admin_key: str, key_id: str) -> None:
    """Revoke the key KEY_ID (from `referbee keys list`): it stops working at once."""
    answer = AdminClient(api, admin_key).call(
        "POST", f"/v1/programs/{quoted(program)}/keys/{quoted(key_id)}/revoke", {}
    )
    click.echo(f"{answer['id']}: revoked ({answer['name']})")
