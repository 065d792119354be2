"""What every command shares: one-line errors, and the options of admin API commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from chalicelib.model.errors import ConfigError, ReferbeeError

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
        except ReferbeeError as exc:
            click.echo(f"referbee: {exc.message}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def admin_api(command: F) -> F:
    """The options every command that calls the admin API takes."""
    command = click.option(
        "--admin-key",
        envvar="REFERBEE_ADMIN_KEY",
        required=True,
        help="An admin key (env: REFERBEE_ADMIN_KEY); `referbee dev` prints one.",
    )(command)
    command = click.option(
        "--api",
        envvar="REFERBEE_API_URL",
        help="The API address (env: REFERBEE_API_URL); default: the running `referbee dev`.",
    )(command)
    return click.option("--program", required=True, help="The program's id.")(command)
