"""Builds the program site (mkdocs-material) for a config, with the API address baked in.

One site per program: the first program (or the one asked for) at the root of `out`, every
other one under `programs/<id>/`. Each is its own mkdocs build, because a site's name, logo,
favicon and palette are site-wide in mkdocs-material and programs can be different brands.
The page templates in `site/pages` are rendered into a temporary docs folder, never into the
repository, and the result is checked: no reference to any host but the API, no missing file.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chalicelib.domain.config.programs import parse_programs
from chalicelib.model.errors import ReferbeeError
from chalicelib.model.program import Program

from .. import KIT_ROOT
from .audit import foreign_references, missing_files
from .pages import render_pages
from .theme import brand_css, copy_brand_files, derive_palette, theme_palette

SITE_SOURCE = KIT_ROOT / "site"
MKDOCS_FILE = KIT_ROOT / "mkdocs.yml"
# Loaded by every page; each page template names the few more it needs (site/pages/*.md),
# so a page downloads no other page's code.
SCRIPTS = ("theme.js",)
# mkdocs-material's own scripts are left out of the build: the site's pages need none of
# their features, and they carry loaders for other hosts (GitHub, unpkg) that a private site
# must not ship. theme.js and the overridden partials do the little the pages need.
PRUNED = ("assets/javascripts", "sitemap.xml", "sitemap.xml.gz")


class SiteBuildError(ReferbeeError):
    """The site could not be built, or the built site failed its checks."""


@dataclass
class SiteBuild:
    out: Path
    pages: list[str] = field(default_factory=list)  # every generated page, relative to out
    defaults: dict[str, tuple[str, ...]] = field(default_factory=dict)  # program -> fields


def build_sites(
    document: dict[str, Any],
    *,
    api_url: str,
    site_url: str,
    out: Path,
    program: str | None = None,
    base_dir: Path | None = None,
) -> SiteBuild:
    """Build every program's site (or only `program`'s, at the root) into `out`.
    Relative brand file paths are read from `base_dir` (default: the current folder)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    catalogue = parse_programs(document)
    chosen = [catalogue.get(program)] if program else list(catalogue.programs.values())
    places = {p.id: "" if i == 0 else f"programs/{p.id}/" for i, p in enumerate(chosen)}
    result = SiteBuild(out=out)
    for each in chosen:  # the root site first: mkdocs empties its output folder
        pages, defaults = _build_program(
            each, places, api_url=api_url, out=out, base_dir=base_dir or Path.cwd()
        )
        result.pages += [places[each.id] + page for page in pages]
        result.defaults[each.id] = defaults
    (out / "referbee.json").write_text(
        json.dumps({"api": api_url, "site": site_url, "program": chosen[0].id, "sites": places})
    )
    # The site's own address is not another host; everything else but the API is.
    own = {api_url, site_url} if site_url else {api_url}
    problems = foreign_references(out, own) + missing_files(out)
    if problems:
        raise SiteBuildError("the built site failed its checks: " + "; ".join(problems[:20]))
    return result


def _build_program(
    program: Program, places: dict[str, str], *, api_url: str, out: Path, base_dir: Path
) -> tuple[list[str], tuple[str, ...]]:
    from markupsafe import escape
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    site_dir = out / places[program.id]
    with tempfile.TemporaryDirectory(prefix="referbee-site-") as tmp:
        docs = Path(tmp)
        shutil.copytree(SITE_SOURCE / "assets", docs / "assets")
        palette = derive_palette(program.brand.primary_color)
        (docs / "assets/referbee/brand.css").write_text(brand_css(palette))
        brand_files = copy_brand_files(program, base_dir, docs)
        rendered = render_pages(program, docs, api_url=api_url, places=places)
        with MKDOCS_FILE.open("rb") as raw:
            base = yaml_load(raw)
        theme = {
            **base.get("theme", {}),
            "custom_dir": str(SITE_SOURCE / "overrides"),
            "palette": theme_palette(),
            **brand_files,
        }
        config = load_config(
            str(MKDOCS_FILE),
            docs_dir=str(docs),
            site_dir=str(site_dir),
            # mkdocs-material inserts site_name into pages unescaped: escape it once here.
            site_name=escape(program.name),
            theme=theme,
            nav=rendered.nav,
            extra_css=["assets/referbee/brand.css", "assets/referbee/site.css"],
            extra_javascript=[f"assets/referbee/{name}" for name in SCRIPTS],
            extra={**base.get("extra", {}), "referbee": {"csp": _content_security_policy(api_url)}},
            strict=True,
        )
        with _mkdocs_warnings() as warnings:
            try:
                build(config)
            except Exception as exc:
                detail = "; ".join(warnings) or str(exc)
                raise SiteBuildError(f"mkdocs could not build the site: {detail}") from exc
    _prune(site_dir)
    return rendered.pages, rendered.defaults


def _content_security_policy(api_url: str) -> str:
    """Pages may load only their own files and talk only to the API: a browser enforces it."""
    parts = urlsplit(api_url)
    api = f"{parts.scheme}://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: {api}; font-src 'self' data:; connect-src 'self' {api}; "
        "manifest-src 'self'; base-uri 'none'; form-action 'none'"
    )


def _prune(site_dir: Path) -> None:
    for name in PRUNED:
        target = site_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for source_map in site_dir.rglob("*.map"):
        source_map.unlink()


@contextmanager
def _mkdocs_warnings() -> Iterator[list[str]]:
    """Collect what mkdocs warns about, so a failed strict build says why."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
