"""`referbee rewards list` and `referbee rewards pay`."""

from __future__ import annotations

import click

from .options import admin_api, fails_cleanly, limit_option


@click.group()
def rewards() -> None:
    """List rewards and record the ones you paid."""


@rewards.command("list")
@admin_api
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "paid", "void", "clawback"]),
    help="Only rewards in this status (default: all).",
)
@limit_option(1000, 100, "At most this many rewards, newest first.")
@fails_cleanly
def rewards_list(
    program: str, api: str | None, admin_key: str, status: str | None, limit: int
) -> None:
    """List a program's rewards: id, status, side, referral code, what it is."""
    from ..admin.client import AdminClient
    from ..admin.listings import reward_lines

    query = f"?limit={limit}" + (f"&status={status}" if status else "")
    answer = AdminClient(api, admin_key).call("GET", f"/v1/programs/{program}/rewards{query}")
    for line in reward_lines(answer["rewards"]) or ["no rewards"]:
        click.echo(line)


@rewards.command("pay")
@admin_api
@click.argument("reward_ids", nargs=-1, required=True)
@fails_cleanly
def rewards_pay(program: str, api: str | None, admin_key: str, reward_ids: tuple[str, ...]) -> None:
    """Mark approved rewards as paid (a refund after that marks them for clawback)."""
    from ..admin.client import AdminClient

    client = AdminClient(api, admin_key)
    for reward_id in reward_ids:
        answer = client.call("POST", f"/v1/programs/{program}/rewards/{reward_id}/paid", {})
        click.echo(f"{answer['id']}: {answer['status']}")
