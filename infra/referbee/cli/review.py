"""`referbee review`: the queue of conversions that fraud rules held back."""

from __future__ import annotations

from typing import Any

import click

from ..admin.client import AdminClient, quoted
from ..admin.listings import ISSUED, REVIEWS
from .options import admin_api, fails_cleanly, limit_option, needs_admin_key
from .output import listing_options, show


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
@limit_option(1000, 100, "At most this many, newest first.")
@listing_options
@click.pass_context
@fails_cleanly
def review(
    ctx: click.Context,
    program: str | None,
    api: str | None,
    admin_key: str | None,
    status: str,
    limit: int,
    shape: str | None,
) -> None:
    """List conversions flagged by fraud rules, with their reasons (then approve or reject)."""
    if ctx.invoked_subcommand is not None:
        return
    if not program:
        raise click.UsageError("give --program: the id of the program whose queue to list")
    admin_key = needs_admin_key(ctx, ctx.command.params[0], admin_key)
    answer = AdminClient(api, admin_key).call(
        "GET", f"/v1/programs/{quoted(program)}/reviews?status={status}&limit={limit}"
    )
    show(answer["reviews"], REVIEWS, shape, empty=f"no conversions in {status}")


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
    show(answer["rewards"], ISSUED, None, empty="no rewards issued")


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


def _decide(
    api: str | None, admin_key: str, program: str, review_id: str, action: str, body: Any
) -> Any:
    path = f"/v1/programs/{quoted(program)}/reviews/{quoted(review_id)}/{action}"
    return AdminClient(api, admin_key).call("POST", path, body)
