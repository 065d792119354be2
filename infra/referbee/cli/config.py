"""`referbee config check`."""

from __future__ import annotations

from pathlib import Path

import click

from .options import config_option, fails_cleanly, show_warnings


@click.group()
def config() -> None:
    """Check the program configuration."""


@config.command("check")
@config_option("The file to check.", defaults_to_file=True)
@fails_cleanly
def config_check(config_path: Path) -> None:
    """Validate referbee.yaml and list every problem, by program and field, then warn of each
    safe default a program turns off, saying what that allows."""
    from chalicelib.domain.config.trust import config_warnings

    from ..config import load_config
    from ..formats import things

    _, catalogue = load_config(config_path)
    names = ", ".join(catalogue.programs)
    programs = things(len(catalogue.programs), "program", "programs")
    click.echo(f"{config_path}: OK, {programs} ({names})")
    show_warnings(config_warnings(catalogue))
