"""`referbee hooks send | replay`: test webhooks from Stripe and Shopify."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from .options import fails_cleanly, needs_admin_key

PROVIDER = click.Choice(["stripe", "shopify"])


def _amount(_: click.Context, __: click.Parameter, value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter("must be an amount, e.g. 49.00") from None
    if not amount.is_finite() or amount < 0:
        raise click.BadParameter("must be an amount, e.g. 49.00")
    return amount


@click.group()
def hooks() -> None:
    """Send test webhooks from Stripe and Shopify to `referbee dev` (or any deployment)."""


@hooks.command("send")
@click.argument("provider", type=PROVIDER)
@click.argument("event_type")
@click.option("--program", help="The program's id (default: referbee dev's first program).")
@click.option("--api", envvar="REFERBEE_API_URL", help="The API address (default: referbee dev).")
@click.option("--secret", help="The webhook secret (default: the environment's, or the dev one).")
@click.option("--amount", callback=_amount, help="The amount paid or refunded, e.g. 49.00.")
@click.option("--currency", default="USD", show_default=True, help="ISO 4217 currency code.")
@click.option("--ref", default="", help="A referral code the checkout carried.")
@click.option("--click", "click_id", default="", help="A click id the checkout carried.")
@click.option("--discount-code", default="", help="A discount code the order used.")
@click.option("--customer", default="", help="The Stripe customer (default: a new one).")
@click.option("--email", default="friend@example.com", show_default=True, help="Their email.")
@click.option("--order", default="", help="The session, invoice or order an event is about.")
@click.option("--payment", default="", help="The payment intent of a refund or dispute.")
@click.option("--subscription", default="", help="The subscription an invoice renews.")
@click.option(
    "--mode",
    type=click.Choice(["payment", "subscription"]),
    default="payment",
    show_default=True,
    help="A checkout session's mode.",
)
@click.option("--renewal", is_flag=True, help="invoice.paid: a renewal, not the first invoice.")
@click.option("--status", default="needs_response", show_default=True, help="A dispute's status.")
@fails_cleanly
def hooks_send(
    provider: str,
    event_type: str,
    program: str | None,
    api: str | None,
    secret: str | None,
    amount: Decimal | None,
    currency: str,
    ref: str,
    click_id: str,
    discount_code: str,
    customer: str,
    email: str,
    order: str,
    payment: str,
    subscription: str,
    mode: str,
    renewal: bool,
    status: str,
) -> None:
    """Sign a test EVENT_TYPE event as PROVIDER does and post it: e.g. `referbee hooks send
    stripe checkout.session.completed --ref CODE --amount 49.00`."""
    from ..admin.client import AdminClient
    from ..hooks.delivery import deliver
    from ..hooks.send import TestEvent, build, default_program, described, secret_for

    wanted = TestEvent(
        amount=amount,
        currency=currency.upper(),
        ref=ref,
        click=click_id,
        customer=customer,
        email=email,
        discount_code=discount_code,
        order=order,
        payment=payment,
        subscription=subscription,
        mode=mode,
        status=status,
        renewal=renewal,
    )
    delivery = build(provider, event_type, wanted)
    address = AdminClient(api, "").api
    answer = deliver(address, program or default_program(), delivery, secret_for(provider, secret))
    click.echo(described(delivery))
    click.echo(answer.line())
    if answer.status != 200:
        raise SystemExit(1)


@hooks.command("replay")
# The folder is checked in the command, after the options: a missing admin key is said first.
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--program", help="The program's id (default: referbee dev's first program).")
@click.option("--api", envvar="REFERBEE_API_URL", help="The API address (default: referbee dev).")
@click.option(
    "--admin-key",
    envvar="REFERBEE_ADMIN_KEY",
    callback=needs_admin_key,
    help="An admin key (env: REFERBEE_ADMIN_KEY): the replay creates its referrer with it.",
)
@click.option("--secret", help="The webhook secret (default: the environment's, or the dev one).")
@click.option("--run", help="Name this replay (default: a new name, so every replay counts).")
@fails_cleanly
def hooks_replay(
    directory: Path,
    program: str | None,
    api: str | None,
    admin_key: str,
    secret: str | None,
    run: str | None,
) -> None:
    """Replay the webhook events of the sequence in DIRECTORY, in its delivery order, and
    check the rewards and stats it must end in."""
    from ..admin.client import AdminClient
    from ..hooks.replay import Replay, load_sequence, replay
    from ..hooks.send import default_program, secret_for

    if not directory.is_dir():
        raise click.BadParameter(f"{directory} is not a folder.", param_hint="'DIRECTORY'")
    provider = str(load_sequence(directory).get("provider", "stripe"))
    how = Replay(
        api=AdminClient(api, admin_key).api,
        program=program or default_program(),
        admin_key=admin_key,
        secret=secret_for(provider, secret),
    )
    if run:
        how.run = run
    done = replay(directory, how)
    for line in done.lines:
        click.echo(line)
    for mismatch in done.mismatches:
        click.echo(f"referbee: {mismatch}", err=True)
    if done.mismatches:
        raise SystemExit(1)
    click.echo(f"{directory.name}: ended as expected (referrer {done.code}, run {how.run})")
