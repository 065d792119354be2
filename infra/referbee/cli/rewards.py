"""`referbee rewards list` and `referbee rewards pay`."""

from __future__ import annotations

import click

from ..admin.client import quoted
from .options import admin_api, fails_cleanly, limit_option
from .output import listing_options, show


@click.group()
def rewards() -> None:
    """List rewards and record the ones you paid."""


@rewards.command("list")
@admin_api
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "paid", "void", "clawback"]),
    help="Only rewards in this status (approved: the ones to pay now; default: all).",
)
@limit_option(1000, 100, "At most this many rewards.")
@listing_options
@fails_cleanly
def rewards_list(
    program: str,
    api: str | None,
    admin_key: str,
    status: str | None,
    limit: int,
    shape: str | None,
) -> None:
    """List a program's rewards, status by status: who is to be paid (the referrer's name
    and email, or the customer of an order), what and how much, and the reward id to mark
    paid. A friend's percent off, a coupon and points are listed as nothing to pay."""
    from ..admin.client import AdminClient
    from ..admin.listings import REWARDS
    from ..admin.pages import all_rows

    params = {"status": status} if status else {}
    path = f"/v1/programs/{quoted(program)}/analytics/rewards"
    rows = all_rows(AdminClient(api, admin_key), path, params, limit)
    empty = f"no {status} rewards" if status else "no rewards yet"
    show(rows, REWARDS, shape, empty=empty)


@rewards.command("pay")
@admin_api
@click.argument("reward_ids", nargs=-1, required=True)
@fails_cleanly
def rewards_pay(program: str, api: str | None, admin_key: str, reward_ids: tuple[str, ...]) -> None:
    """Mark approved rewards as paid (a refund after that marks them for clawback)."""
    from ..admin.client import AdminClient

    client = AdminClient(api, admin_key)
    for reward_id in reward_ids:
        path = f"/v1/programs/{quoted(program)}/rewards/{quoted(reward_id)}/paid"
        answer = client.call("POST", path, {})
        click.echo(f"{answer['id']}: {answer['status']}")
