"""`referbee widget build`."""

from __future__ import annotations

from pathlib import Path

import click

from .options import fails_cleanly


@click.group()
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
    from ..site.widget import SIZE_BUDGET_GZIPPED, build_widget, widget_size

    path = build_widget(out)
    size = widget_size()
    click.echo(
        f"{path}: {size.minified} bytes, {size.gzipped} bytes gzipped "
        f"(budget {SIZE_BUDGET_GZIPPED} bytes gzipped)"
    )
