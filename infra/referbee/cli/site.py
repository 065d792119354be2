"""`referbee site build`."""

from __future__ import annotations

from pathlib import Path

import click

from .options import config_option, fails_cleanly


@click.group("site")
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
@config_option(
    "Program config; brand files are read relative to its folder.", defaults_to_file=True
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

    from ..config import load_config
    from ..site.build import build_sites

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
    from ..formats import things
    from ..site.widget import build_widget

    build_widget(out / "widget")
    pages = things(len(result.pages), "page", "pages")
    click.echo(f"Built {pages} and the widget into {out} (API: {api})")
