"""`referbee conversions refund`."""

from __future__ import annotations

import click

from .options import admin_api, fails_cleanly


@click.group()
def conversions() -> None:
    """Act on recorded conversions."""


@conversions.command("refund")
@admin_api
@click.option(
    "--event",
    type=click.Choice(["purchase", "signup"]),
    default="purchase",
    show_default=True,
    help="Which conversion of that order id to refund.",
)
@click.argument("order_id")
@fails_cleanly
def conversions_refund(
    program: str, api: str | None, admin_key: str, event: str, order_id: str
) -> None:
    """Refund ORDER_ID: it stops counting, its rewards are voided (or marked for clawback
    when already paid)."""
    from ..admin.client import AdminClient, quoted
    from ..admin.listings import ISSUED
    from .output import show

    path = f"/v1/programs/{quoted(program)}/conversions/{quoted(order_id)}/refund"
    answer = AdminClient(api, admin_key).call("POST", path, {"event": event})
    click.echo(f"{answer['order_id']}: {answer['status']}")
    show(answer["rewards"], ISSUED, None, empty="no rewards to take back")
