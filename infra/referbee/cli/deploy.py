"""`referbee deploy`, `referbee destroy` and `referbee package`: the library in
referbee.deploy, with a line per step on the terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .options import (
    DEPLOYED_STATE_DIR,
    PROFILE,
    REGION,
    STAGE,
    build_dir_option,
    config_option,
    fails_cleanly,
    show_warnings,
)


@click.command()
@STAGE
@REGION
@PROFILE
@config_option("Program config (default: ./referbee.yaml).")
@click.option("--cdn", is_flag=True, help="Serve the site from a private bucket via CloudFront.")
@click.option(
    "--bucket", help="Site bucket name (default: referbee-<stage>-site-<account>-<region>)."
)
@DEPLOYED_STATE_DIR
@build_dir_option("Where the site and the API package are built.")
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
    from ..deploy import DeployOptions
    from ..deploy import deploy as run_deploy
    from .progress import StepDisplay

    _warn_of_opt_outs(config_path)
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


@click.command()
@STAGE
@REGION
@PROFILE
@DEPLOYED_STATE_DIR
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
    from ..deploy import DestroyOptions
    from ..deploy import destroy as run_destroy
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


@click.command()
@STAGE
@config_option("Program config (default: ./referbee.yaml).")
@build_dir_option("Where the API package is staged.")
@click.argument("out", type=click.Path(path_type=Path))
@fails_cleanly
def package(stage: str, config_path: Path | None, build_dir: Path, out: Path) -> None:
    """Write CloudFormation (SAM) for the stage into OUT, for your own pipeline."""
    from ..deploy import PackageOptions
    from ..deploy import package as run_package

    written = run_package(PackageOptions(stage, out, config_path, build_dir))
    for path in written:
        click.echo(f"wrote {path}")


def _warn_of_opt_outs(config_path: Path | None) -> None:
    """Before anything is created: what the config's opt-outs of safe defaults allow (a
    missing or broken config is left to the deploy's preflight to explain)."""
    from chalicelib.domain.config.trust import config_warnings
    from chalicelib.model.errors import ConfigError

    from .. import legacy
    from ..config import load_config

    if config_path is None and not legacy.config_file().exists():
        return
    try:
        _, catalogue = load_config(config_path)
    except ConfigError:
        return
    show_warnings(config_warnings(catalogue))


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
