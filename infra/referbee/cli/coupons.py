"""`referbee coupons add` and `referbee coupons status`."""

from __future__ import annotations

from pathlib import Path

import click

from .options import admin_api, fails_cleanly


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
        f"pool '{pool}' of {program}: {totals['added']} added, {totals['skipped']} already "
        f"known, {totals['available']} available"
    )


@coupons.command("status")
@admin_api
@fails_cleanly
def coupons_status(program: str, api: str | None, admin_key: str) -> None:
    """Free and used codes of each pool, and the rewards waiting for an empty pool."""
    from ..admin.client import AdminClient

    answer = AdminClient(api, admin_key).call("GET", f"/v1/programs/{program}/coupons")
    if not answer["pools"]:
        click.echo(f"{program} has no coupon rewards.")
    for pool in answer["pools"]:
        warning = f"  <- {pool['waiting']} reward(s) waiting: add codes" if pool["waiting"] else ""
        click.echo(
            f"{pool['pool']}: {pool['available']} available, {pool['used']} handed out{warning}"
        )
