"""`referbee coupons add` and `referbee coupons status`."""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import count, things
from .options import admin_api, fails_cleanly
from .output import listing_options, show


@click.group()
def coupons() -> None:
    """Load coupon codes into a program's pools and see how many are left."""


@coupons.command("add")
@admin_api
@click.option("--pool", default="default", show_default=True, help="The pool to load.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@fails_cleanly
def coupons_add(program: str, api: str | None, admin_key: str, pool: str, file: Path) -> None:
    """Add the codes in FILE (one per line, or the first CSV column) to a coupon pool. A code
    the pool already holds, or has ever handed out, is skipped: no code is given twice."""
    from ..admin.client import AdminClient
    from ..admin.coupons import read_coupon_file, upload_coupons

    codes = read_coupon_file(file)
    totals = upload_coupons(AdminClient(api, admin_key), program, pool, codes)
    click.echo(
        f"pool '{pool}' of {program}: {count(totals['added'])} added, "
        f"{count(totals['skipped'])} already known, {count(totals['available'])} available"
    )


@coupons.command("status")
@admin_api
@listing_options
@fails_cleanly
def coupons_status(program: str, api: str | None, admin_key: str, shape: str | None) -> None:
    """Free and used codes of each pool, and the rewards waiting for an empty pool."""
    from ..admin.client import AdminClient, quoted
    from ..admin.listings import POOLS

    answer = AdminClient(api, admin_key).call("GET", f"/v1/programs/{quoted(program)}/coupons")
    show(answer["pools"], POOLS, shape, empty=f"{program} has no coupon rewards.")
    waiting = sum(pool["waiting"] for pool in answer["pools"])
    if waiting and shape is None:
        rewards = things(waiting, "reward is", "rewards are")
        click.echo(f"{rewards} waiting for codes: add some with `referbee coupons add`.")
