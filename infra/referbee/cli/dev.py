"""`referbee dev`: the whole kit on this machine."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import click

from .. import legacy
from .options import config_option, fails_cleanly, show_warnings, state_dir_option


@click.command()
@click.option(
    "--port",
    type=click.IntRange(1024, 65533),
    default=8000,
    show_default=True,
    help="Port of the API; the site and demo shop use the next one.",
)
@config_option("Program config (default: ./referbee.yaml, else the built-in demo program).")
@click.option(
    "--admin-key",
    envvar="REFERBEE_ADMIN_KEY",
    help="Also accept this admin key (env: REFERBEE_ADMIN_KEY). Either way the stack has its "
    "own key, generated on the first run, kept in the state folder (admin_key) and printed.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="API worker processes (each handles one request at a time, like Lambda).",
)
@state_dir_option("dev", "Where the local data, secret and built site are kept.")
@fails_cleanly
def dev(
    port: int, config_path: Path | None, admin_key: str | None, workers: int, state_dir: Path
) -> None:
    """Run the whole kit locally: API, embedded DynamoDB, site, widget and a demo shop."""
    from chalicelib.domain.config.trust import config_warnings

    from ..config import load_config
    from ..devstack.stack import DevOptions, run
    from ..site.theme import resolve_brand_files

    document, catalogue = load_config(config_path)
    show_warnings(config_warnings(catalogue))
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


def _demo_for_port(document: dict[str, Any], port: int) -> dict[str, Any]:
    """The demo program lands on the demo shop of this run's static server."""
    demo = copy.deepcopy(document)
    demo["programs"][0]["landing_url"] = f"http://127.0.0.1:{port + 1}/shop/"
    return demo
