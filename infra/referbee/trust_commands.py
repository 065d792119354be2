"""`referbee keys`, `referbee review`, `referbee forget` and `referbee export`: thin commands
over the admin API (infra/referbee/admin_client.py).

They talk to the API rather than to the table, like every admin command: the same command
works against `referbee dev` and a deployed stack with nothing but an admin key, and the API
enforces the rules (only a write key covering a program can create, list or revoke its keys,
and never grant more than it has). The first key of a stage comes from `referbee dev` or
`referbee deploy`, which write it to the table themselves."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import click

from .admin_client import AdminClient
from .commands import admin_api, fails_cleanly


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
    answer = _client(api, admin_key).call(
        "POST", f"/v1/programs/{_q(program)}/keys", {"name": name, "scope": scope}
    )
    click.echo(answer["key"])
    click.echo(
        f"id {answer['id']}  {answer['scope']}  '{answer['name']}' for {program}  "
        "(shown only now: store it safely)",
        err=True,
    )


@keys.command("list")
@admin_api
@fails_cleanly
def keys_list(program: str, api: str | None, admin_key: str) -> None:
    """The keys that can act on PROGRAM: id, scope, name, created, revoked."""
    answer = _client(api, admin_key).call("GET", f"/v1/programs/{_q(program)}/keys")
    for key in answer["keys"]:
        state = f"revoked {key['revoked_at']}" if key["revoked"] else "active"
        programs = ",".join(key["programs"])
        click.echo(
            f"{key['id']}  {key['scope']:<5}  {state:<28}  {key['created_at']}  "
            f"{programs:<12}  {key['name']}"
        )


@keys.command("revoke")
@admin_api
@click.argument("key_id")
@fails_cleanly
def keys_revoke(program: str, api: str | None, admin_key: str, key_id: str) -> None:
    """Revoke the key KEY_ID (from `referbee keys list`): it stops working at once."""
    answer = _client(api, admin_key).call(
        "POST", f"/v1/programs/{_q(program)}/keys/{_q(key_id)}/revoke", {}
    )
    click.echo(f"{answer['id']}: revoked ({answer['name']})")


@click.group(invoke_without_command=True)
@click.option("--program", help="The program's id (required to list).")
@click.option("--api", envvar="REFERBEE_API_URL", help="The API address (env: REFERBEE_API_URL).")
@click.option(
    "--admin-key", envvar="REFERBEE_ADMIN_KEY", help="An admin key (env: REFERBEE_ADMIN_KEY)."
)
@click.option(
    "--status",
    type=click.Choice(["review", "approved", "rejected"]),
    default="review",
    show_default=True,
    help="Which part of the queue to list.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=100,
    show_default=True,
    help="At most this many, newest first.",
)
@click.pass_context
@fails_cleanly
def review(
    ctx: click.Context,
    program: str | None,
    api: str | None,
    admin_key: str | None,
    status: str,
    limit: int,
) -> None:
    """List conversions flagged by fraud rules, with their reasons (then approve or reject)."""
    if ctx.invoked_subcommand is not None:
        return
    if not program or not admin_key:
        raise click.UsageError("give --program and --admin-key (or REFERBEE_ADMIN_KEY)")
    answer = _client(api, admin_key).call(
        "GET", f"/v1/programs/{_q(program)}/reviews?status={status}&limit={limit}"
    )
    for line in review_lines(answer["reviews"]) or [f"no conversions in {status}"]:
        click.echo(line)


@review.command("approve")
@admin_api
@click.option("--note", default="", help="Why it is genuine (kept with the decision).")
@click.argument("review_id")
@fails_cleanly
def review_approve(
    program: str, api: str | None, admin_key: str, note: str, review_id: str
) -> None:
    """Approve REVIEW_ID (event:order_id): it counts and its rewards are issued, once."""
    answer = _decide(api, admin_key, program, review_id, "approve", {"note": note} if note else {})
    click.echo(f"{answer['id']}: {answer['status']} by {answer.get('decided_by', '?')}")
    for reward in answer["rewards"]:
        click.echo(f"  {reward['id']}  {reward['status']}  {reward['side']}  {reward['text']}")


@review.command("reject")
@admin_api
@click.option("--reason", required=True, help="Why it is rejected (kept with the decision).")
@click.argument("review_id")
@fails_cleanly
def review_reject(
    program: str, api: str | None, admin_key: str, reason: str, review_id: str
) -> None:
    """Reject REVIEW_ID (event:order_id): it never counts; who and why are recorded."""
    answer = _decide(api, admin_key, program, review_id, "reject", {"reason": reason})
    click.echo(f"{answer['id']}: {answer['status']} by {answer['decided_by']}: {reason}")


@click.command()
@admin_api
@click.argument("email")
@fails_cleanly
def forget(program: str, api: str | None, admin_key: str, email: str) -> None:
    """Erase EMAIL's personal data from PROGRAM; anonymous counts keep their values."""
    answer = _client(api, admin_key).call(
        "POST", f"/v1/programs/{_q(program)}/people/forget", {"email": email}
    )
    referrer = f"referrer {answer['referrer']} erased" if answer["referrer"] else "no referrer"
    click.echo(
        f"{program}: {referrer}, {answer['conversions']} conversion(s) as a customer cleared, "
        f"{answer['emails_deleted']} stored email(s) deleted"
    )


@click.command()
@admin_api
@click.argument("email")
@fails_cleanly
def export(program: str, api: str | None, admin_key: str, email: str) -> None:
    """Print everything PROGRAM holds about EMAIL, as JSON."""
    answer = _client(api, admin_key).call(
        "POST", f"/v1/programs/{_q(program)}/people/export", {"email": email}
    )
    click.echo(json.dumps(answer, indent=2, ensure_ascii=False))


COMMANDS = (keys, review, forget, export)


def review_lines(reviews: list[dict[str, Any]]) -> list[str]:
    lines = []
    for item in reviews:
        amount = f"{item['amount']} {item['currency']}" if item.get("currency") else ""
        decided = ""
        if item.get("decided_by"):
            decided = f"  {item['decided_by']}: {item.get('decision_note', '')}".rstrip()
        lines.append(
            f"{item['id']}  {item['status']:<8}  {item['ref']:<10}  {item['created_at']}  "
            f"{amount:<12}  {', '.join(item.get('flags', []))}{decided}"
        )
    return lines


def _decide(
    api: str | None, admin_key: str, program: str, review_id: str, action: str, body: Any
) -> Any:
    path = f"/v1/programs/{_q(program)}/reviews/{_q(review_id)}/{action}"
    return _client(api, admin_key).call("POST", path, body)


def _client(api: str | None, admin_key: str) -> AdminClient:
    return AdminClient(api, admin_key)


def _q(part: str) -> str:
    return quote(part, safe="")
