"""The `referbee` command. Each command is a thin wrapper: library errors become one line on
stderr and a non-zero exit. One module per command group; this one only assembles them."""

from __future__ import annotations

import click

from .. import __version__, legacy
from .config import config
from .conversions import conversions
from .coupons import coupons
from .deploy import deploy, destroy, package
from .dev import dev
from .init import init
from .keys import keys
from .people import export, forget
from .referrers import referrers
from .report import report
from .review import review
from .rewards import rewards
from .site import site_group
from .webhooks import webhooks
from .widget import widget

COMMANDS: tuple[click.Command, ...] = (
    init,
    dev,
    config,
    site_group,
    widget,
    deploy,
    destroy,
    package,
    coupons,
    rewards,
    conversions,
    webhooks,
    report,
    keys,
    referrers,
    review,
    forget,
    export,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="referbee")
def main() -> None:
    """referbee: a self-hosted referral program kit (Chalice + DynamoDB in your AWS account)."""
    legacy.adopt_environment()


for _command in COMMANDS:
    main.add_command(_command)
