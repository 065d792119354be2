"""How listing commands print: a rich table with a header row and right-aligned numbers for
people, or the API's rows as they are for scripts (--json, or --csv with a header row)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ..admin.listings import Column, Row

F = TypeVar("F", bound=Callable[..., Any])
PIPED_WIDTH = 1000  # into a file or another program: no cell is wrapped


def listing_options(command: F) -> F:
    """`--json` and `--csv`: the rows for scripts instead of a table (sets `shape`)."""
    command = click.option(
        "--csv",
        "shape",
        flag_value="csv",
        help="Print the rows as CSV with a header row (for spreadsheets and scripts).",
    )(command)
    return click.option(
        "--json",
        "shape",
        flag_value="json",
        help="Print the rows as JSON, as the API gives them (for scripts).",
    )(command)


def show(
    rows: Sequence[Row],
    columns: Sequence[Column],
    shape: str | None,
    *,
    empty: str,
    title: str | None = None,
) -> None:
    if shape == "json":
        click.echo(json.dumps(list(rows), indent=2, ensure_ascii=False))
    elif shape == "csv":
        click.echo(as_csv(rows), nl=False)
    elif not rows:
        click.echo(empty)
    else:
        print_table(rows, columns, title)


def as_csv(rows: Sequence[Row]) -> str:
    keys: list[str] = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key in keys])
    return out.getvalue()


def print_table(rows: Sequence[Row], columns: Sequence[Column], title: str | None) -> None:
    from rich.table import Table

    shown = [column for column in columns if any(column.show(row) for row in rows)]
    table = Table(title=title, title_justify="left")
    for column in shown:
        table.add_column(column.title, justify="right" if column.numeric else "left")
    for row in rows:
        table.add_row(*(column.show(row) for column in shown))
    console().print(table)


def console() -> Any:
    """rich's console on stdout: the terminal's width, or no wrapping when piped."""
    from rich.console import Console

    found = Console(highlight=False)
    return found if found.is_terminal else Console(highlight=False, width=PIPED_WIDTH)


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
