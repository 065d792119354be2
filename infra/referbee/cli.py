"""The `referbee` command. Each command is a thin wrapper: library errors become one line on
stderr and a non-zero exit."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, legacy
from .commands import admin_api, fails_cleanly

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="referbee")
def main() -> None:
    """referbee: a self-hosted referral program kit (Chalice + DynamoDB in your AWS account)."""
    legacy.adopt_environment()


@main.command()
@click.option(
    "--port",
    type=click.IntRange(1024, 65533),
    default=8000,
    show_default=True,
    help="Port of the API; the site and demo shop use the next one.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Program config (default: ./referbee.yaml, else the built-in demo program).",
)
@click.option(
    "--admin-key",
    envvar="REFERBEE_ADMIN_KEY",
    help="Admin key to accept (env: REFERBEE_ADMIN_KEY); generated and printed if unset.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="API worker processes (each handles one request at a time, like Lambda).",
)
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path),
    default=lambda: legacy.state_dir() / "dev",
    show_default=".referbee/dev",
    help="Where the local data, secret and built site are kept.",
)
@fails_cleanly
def dev(
    port: int, config_path: Path | None, admin_key: str | None, workers: int, state_dir: Path
) -> None:
    """Run the whole kit locally: API, embedded DynamoDB, site, widget and a demo shop."""
    from .config import load_config
    from .devstack.stack import DevOptions, run
    from .site_theme import resolve_brand_files

    document, _ = load_config(config_path)
    document = resolve_brand_files(document, (config_path or legacy.config_file()).parent)
    if config_path is None and not legacy.config_file().exists():
        document = _demo_for_port(document, port)
        click.echo("No referbee.yaml here: running the built-in demo program 'demo'.")
    if admin_key is not None and len(admin_key) < 16:
        raise click.BadParameter("must be at least 16 characters", param_hint="--admin-key")
    options = DevOptions(
        port=port,
        admin_key=admin_key,
        workers=workers,
        state_dir=state_dir,
        config_document=document,
    )
    sys.exit(run(options, say=click.echo))


@main.group()
def config() -> None:
    """Check the program configuration."""


@config.command("check")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=legacy.config_file,
    show_default="referbee.yaml",
    help="The file to check.",
)
@fails_cleanly
def config_check(config_path: Path) -> None:
    """Validate referbee.yaml and list every problem, by program and field."""
    from .config import load_config

    _, catalogue = load_config(config_path)
    names = ", ".join(catalogue.programs)
    click.echo(f"{config_path}: OK ({len(catalogue.programs)} program(s): {names})")


@main.group("site")
def site_group() -> None:
    """Build the program site: program page, private stats pages, leaderboard."""


@site_group.command("build")
@click.option(
    "--program",
    "program_id",
    help="Build only this program's site, at the root of --out (default: every program).",
)
@click.option(
    "--api",
    "api_url",
    help="Address of the referbee API that the pages call (default: api_url in referbee.yaml).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=legacy.config_file,
    show_default="referbee.yaml",
    help="Program config; brand files are read relative to its folder.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="Folder to build into (emptied first).",
)
@fails_cleanly
def site_build(program_id: str | None, api_url: str | None, config_path: Path, out: Path) -> None:
    """Generate the program site from referbee.yaml and build it with mkdocs --strict."""
    from chalicelib.domain.config.fields import url_problem

    from .config import load_config
    from .site import build_sites

    document, catalogue = load_config(config_path)
    api = (api_url or str(document.get("api_url") or "")).rstrip("/")
    if not api:
        raise click.UsageError("give the API address with --api URL or api_url in referbee.yaml")
    problem = url_problem(api)
    if problem:
        raise click.BadParameter(problem, param_hint="--api")
    if program_id is not None:
        catalogue.get(program_id)
    result = build_sites(
        document,
        api_url=api,
        site_url=str(document.get("site_url") or "").rstrip("/"),
        out=out,
        program=program_id,
        base_dir=config_path.parent,
    )
    for program, defaults in result.defaults.items():
        if defaults:
            click.echo(
                f"program '{program}': no text written for {', '.join(sorted(defaults))}; "
                "using defaults (write them under site: in the config)"
            )
    from .widget import build_widget

    build_widget(out / "widget")
    click.echo(f"Built {len(result.pages)} pages and the widget into {out} (API: {api})")


@main.group()
def widget() -> None:
    """Build the embeddable widget (widget/src -> referbee.js)."""


@widget.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site/widget"),
    show_default=True,
    help="Folder to write referbee.js into (the site serves it at /widget/referbee.js).",
)
@fails_cleanly
def widget_build(out: Path) -> None:
    """Minify the widget into OUT/referbee.js and print its size, raw and gzipped."""
    from .widget import SIZE_BUDGET_GZIPPED, build_widget, widget_size

    path = build_widget(out)
    size = widget_size()
    click.echo(
        f"{path}: {size.minified} bytes, {size.gzipped} bytes gzipped "
        f"(budget {SIZE_BUDGET_GZIPPED} bytes gzipped)"
    )


_STAGE = click.option(
    "--stage", default="prod", show_default=True, help="Stage name: 1-16 of a-z, 0-9, -."
)
_REGION = click.option(
    "--region", help="AWS region (default: the profile's or AWS_DEFAULT_REGION)."
)
_PROFILE = click.option("--profile", help="AWS named profile (default: the usual AWS lookup).")
_STATE_DIR = click.option(
    "--state-dir",
    type=click.Path(path_type=Path),
    default=lambda: legacy.state_dir() / "deployed",
    show_default=".referbee/deployed",
    help="Where each stage's deployment record (<stage>.json) is kept.",
)


@main.command()
@_STAGE
@_REGION
@_PROFILE
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Program config (default: ./referbee.yaml).",
)
@click.option("--cdn", is_flag=True, help="Serve the site from a private bucket via CloudFront.")
@click.option(
    "--bucket", help="Site bucket name (default: referbee-<stage>-site-<account>-<region>)."
)
@_STATE_DIR
@click.option(
    "--build-dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Where the site and the API package are built.",
)
@fails_cleanly
def deploy(
    stage: str,
    region: str | None,
    profile: str | None,
    config_path: Path | None,
    cdn: bool,
    bucket: str | None,
    state_dir: Path,
    build_dir: Path,
) -> None:
    """Deploy (or update) the kit in your AWS account: table, API, site and widget."""
    from .deploy import DeployOptions
    from .deploy import deploy as run_deploy
    from .progress import StepDisplay

    options = DeployOptions(stage, region, profile, config_path, cdn, bucket, state_dir, build_dir)
    display = StepDisplay()
    with _interruptible(state_dir / f"{stage}.json", "deploy"):
        result = run_deploy(options, display)
    say = display.console.print
    say("")
    if result.changed:
        say(f"Stage [bold]{stage}[/bold] deployed.")
    else:
        say(f"Stage [bold]{stage}[/bold]: nothing changed, everything was already up to date.")
    click.echo(f"  API          {result.api_url}")
    click.echo(f"  Site         {result.site_url}/")
    if not cdn:
        click.echo("               (HTTP only: to embed the widget in an HTTPS shop, use --cdn)")
    if result.admin_key:
        click.echo(f"  Admin key    {result.admin_key}  (shown only now: store it safely)")
    click.echo(f"  Record       {result.state_path}")
    click.echo("")
    click.echo("Embed the widget on your site:")
    for line in result.snippet.splitlines():
        click.echo(f"  {line}")


@main.command()
@_STAGE
@_REGION
@_PROFILE
@_STATE_DIR
@click.option(
    "--delete-data",
    is_flag=True,
    help="Also delete the table with all its data, and the secrets (asks for the stage name).",
)
@fails_cleanly
def destroy(
    stage: str, region: str | None, profile: str | None, state_dir: Path, delete_data: bool
) -> None:
    """Remove a deployed stage; its table (and data) is kept unless --delete-data."""
    from .deploy import DestroyOptions
    from .deploy import destroy as run_destroy
    from .progress import StepDisplay

    confirmation = None
    if delete_data:
        confirmation = click.prompt(
            f"This deletes the table of stage '{stage}' and ALL its data. "
            "Type the stage name to confirm",
            default="",
            show_default=False,
        )
    options = DestroyOptions(stage, region, profile, state_dir, confirmation)
    display = StepDisplay()
    with _interruptible(state_dir / f"{stage}.json", "destroy"):
        outcomes = run_destroy(options, display)
    if confirmation is None:
        display.console.print(f"= {outcomes[-1][1].detail}")
    click.echo(f"Stage {stage} destroyed.")


@main.command()
@_STAGE
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Program config (default: ./referbee.yaml).",
)
@click.option(
    "--build-dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Where the API package is staged.",
)
@click.argument("out", type=click.Path(path_type=Path))
@fails_cleanly
def package(stage: str, config_path: Path | None, build_dir: Path, out: Path) -> None:
    """Write CloudFormation (SAM) for the stage into OUT, for your own pipeline."""
    from .deploy import PackageOptions
    from .deploy import package as run_package

    written = run_package(PackageOptions(stage, out, config_path, build_dir))
    for path in written:
        click.echo(f"wrote {path}")


@contextlib.contextmanager
def _interruptible(record: Path, command: str) -> Iterator[None]:
    """Ctrl-C: one line saying where things stand (each step is recorded as it completes)."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(
            f"\nreferbee: {command} interrupted. Everything created so far is recorded in "
            f"{record}; run 'referbee {command}' again to continue.",
            err=True,
        )
        sys.exit(130)


@main.group()
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
    from .admin_client import AdminClient, read_coupon_file, upload_coupons

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
    from .admin_client import AdminClient

    answer = AdminClient(api, admin_key).call("GET", f"/v1/programs/{program}/coupons")
    if not answer["pools"]:
        click.echo(f"{program} has no coupon rewards.")
    for pool in answer["pools"]:
        warning = f"  <- {pool['waiting']} reward(s) waiting: add codes" if pool["waiting"] else ""
        click.echo(
            f"{pool['pool']}: {pool['available']} available, {pool['used']} handed out{warning}"
        )


@main.group()
def rewards() -> None:
    """List rewards and record the ones you paid."""


@rewards.command("list")
@admin_api
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "paid", "void", "clawback"]),
    help="Only rewards in this status (default: all).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=100,
    show_default=True,
    help="At most this many rewards, newest first.",
)
@fails_cleanly
def rewards_list(
    program: str, api: str | None, admin_key: str, status: str | None, limit: int
) -> None:
    """List a program's rewards: id, status, side, referral code, what it is."""
    from .admin_client import AdminClient, reward_lines

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
    from .admin_client import AdminClient

    client = AdminClient(api, admin_key)
    for reward_id in reward_ids:
        answer = client.call("POST", f"/v1/programs/{program}/rewards/{reward_id}/paid", {})
        click.echo(f"{answer['id']}: {answer['status']}")


@main.group()
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
    from urllib.parse import quote

    from .admin_client import AdminClient, reward_lines

    path = f"/v1/programs/{program}/conversions/{quote(order_id, safe='')}/refund"
    answer = AdminClient(api, admin_key).call("POST", path, {"event": event})
    click.echo(f"{answer['order_id']}: {answer['status']}")
    for line in reward_lines(answer["rewards"]):
        click.echo(f"  {line}")


@main.group()
def webhooks() -> None:
    """See what was delivered to your webhook endpoints (and emails)."""


@webhooks.command("log")
@admin_api
@click.option(
    "--limit",
    type=click.IntRange(1, 500),
    default=50,
    show_default=True,
    help="At most this many delivery attempts, newest first.",
)
@fails_cleanly
def webhooks_log(program: str, api: str | None, admin_key: str, limit: int) -> None:
    """The latest delivery attempts, newest first: event, target, attempt, outcome."""
    from .admin_client import AdminClient, log_lines

    answer = AdminClient(api, admin_key).call(
        "GET", f"/v1/programs/{program}/webhooks/log?limit={limit}"
    )
    for line in log_lines(answer["deliveries"]) or ["no deliveries yet"]:
        click.echo(line)


@main.command()
@admin_api
@click.option(
    "--since",
    help="The last N days, weeks, months or years, today included: 30d, 12w, 6m, 1y "
    "(default: 30d).",
)
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period (UTC).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period (default: today).")
@click.option(
    "--format",
    "shape",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, JSON or CSV (one number per row) for programs and spreadsheets.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the funnel over time into FILE.png or FILE.svg.",
)
@click.option(
    "--top",
    type=click.IntRange(1, 25),
    default=10,
    show_default=True,
    help="How many top referrers to list.",
)
@fails_cleanly
def report(
    program: str,
    api: str | None,
    admin_key: str,
    since: str | None,
    start: str | None,
    end: str | None,
    shape: str,
    chart: Path | None,
    top: int,
) -> None:
    """A program's KPIs for a period: participants, clicks, conversions, revenue, rewards cost,
    ROI, viral coefficient, repeat purchases, top referrers and the split by channel, landing
    page and attribution model (a read key is enough)."""
    from rich.console import Console

    from .admin_client import AdminClient
    from .chart import write_funnel_chart
    from .report import as_csv, as_json, fetch_report, print_table

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("name the chart file .png or .svg", param_hint="--chart")
    found = fetch_report(
        AdminClient(api, admin_key), program, since=since, start=start, end=end, top=top
    )
    if shape == "json":
        click.echo(as_json(found), nl=False)
    elif shape == "csv":
        click.echo(as_csv(found), nl=False)
    else:
        print_table(found, Console(width=max(100, Console().width)))
    if chart is not None:
        written = write_funnel_chart(found, chart)
        click.echo(f"chart written to {written}", err=shape != "table")


def _demo_for_port(document: dict[str, Any], port: int) -> dict[str, Any]:
    """The demo program lands on the demo shop of this run's static server."""
    demo = copy.deepcopy(document)
    demo["programs"][0]["landing_url"] = f"http://127.0.0.1:{port + 1}/shop/"
    return demo


def _register_trust_commands() -> None:
    """keys, review, forget and export live in trust_commands.py (which uses the helpers
    above)."""
    from .trust_commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_trust_commands()


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    main()
