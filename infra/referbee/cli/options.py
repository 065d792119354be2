"""What the commands share: one-line errors, the options of admin API commands and of the
deploy commands, and the options several commands take with their own help text."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from chalicelib.model.errors import ConfigError, ProblemsError, ReferbeeError

from .. import legacy

F = TypeVar("F", bound=Callable[..., Any])


def fails_cleanly(command: F) -> F:
    """Print referbee errors as one clear message (config errors: one line per problem)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            click.echo("referbee: the configuration has problems:", err=True)
            for problem in exc.problems:
                click.echo(f"  - {problem}", err=True)
            sys.exit(2)
        except ProblemsError as exc:
            if len(exc.problems) == 1:
                click.echo(f"referbee: {exc.problems[0]}", err=True)
            else:
                click.echo(f"referbee: {exc.message}:", err=True)
                for problem in exc.problems:
                    click.echo(f"  - {problem}", err=True)
            sys.exit(exc.exit_code)
        except ReferbeeError as exc:
            click.echo(f"referbee: {exc.message}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def show_warnings(warnings: list[str]) -> None:
    """What the configuration's opt-outs of safe defaults allow, one line each (stderr)."""
    for line in warnings:
        click.echo(f"referbee: warning: {line}", err=True)


MISSING_ADMIN_KEY = (
    "no admin key: pass --admin-key KEY or set REFERBEE_ADMIN_KEY. `referbee dev` prints its "
    "key when it starts and keeps it in .referbee/dev/admin_key; `referbee deploy` prints the "
    "first key of a stage; `referbee keys create` makes more."
)


def needs_admin_key(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """An admin key is required; say where one comes from when it is missing."""
    if not value:
        raise click.UsageError(MISSING_ADMIN_KEY, ctx=ctx)
    return value


def admin_api(command: F) -> F:
    """The options every command that calls the admin API takes."""
    command = click.option(
        "--admin-key",
        envvar="REFERBEE_ADMIN_KEY",
        callback=needs_admin_key,
        help="An admin key (env: REFERBEE_ADMIN_KEY); `referbee dev` prints one.",
    )(command)
    command = click.option(
        "--api",
        envvar="REFERBEE_API_URL",
        help="The API address (env: REFERBEE_API_URL); default: the running `referbee dev`.",
    )(command)
    return click.option("--program", required=True, help="The program's id.")(command)


def config_option(help_text: str, *, defaults_to_file: bool = False) -> Callable[[F], F]:
    """`--config`: the program config. Without `defaults_to_file` the command decides what
    no file means (./referbee.yaml, or the demo program)."""
    if not defaults_to_file:
        return click.option(
            "--config", "config_path", type=click.Path(path_type=Path), help=help_text
        )
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path),
        default=legacy.config_file,
        show_default="referbee.yaml",
        help=help_text,
    )


def state_dir_option(folder: str, help_text: str) -> Callable[[F], F]:
    """`--state-dir`: a folder under .referbee/ (found when the command runs, so that
    legacy.state_dir can still read the folder of the old name)."""
    return click.option(
        "--state-dir",
        type=click.Path(path_type=Path),
        default=lambda: legacy.state_dir() / folder,
        show_default=f".referbee/{folder}",
        help=help_text,
    )


def build_dir_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--build-dir",
        type=click.Path(path_type=Path),
        default=Path("build"),
        show_default=True,
        help=help_text,
    )


def limit_option(most: int, default: int, help_text: str) -> Callable[[F], F]:
    return click.option(
        "--limit",
        type=click.IntRange(1, most),
        default=default,
        show_default=True,
        help=help_text,
    )


# The options of deploy, destroy and package.
STAGE = click.option(
    "--stage", default="prod", show_default=True, help="Stage name: 1-16 of a-z, 0-9, -."
)
REGION = click.option("--region", help="AWS region (default: the profile's or AWS_DEFAULT_REGION).")
PROFILE = click.option("--profile", help="AWS named profile (default: the usual AWS lookup).")
DEPLOYED_STATE_DIR = state_dir_option(
    "deployed", "Where each stage's deployment record (<stage>.json) is kept."
)
