"""Builds what the bucket serves: every program's site and the widget, with the deployed
API's address baked in."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ..site.build import build_sites
from ..site.widget import build_widget


def build_site_and_widget(
    document: dict[str, Any], *, api_url: str, site_url: str, out: Path, base_dir: Path
) -> Path:
    """Build into `out` (emptied first); brand files are read relative to `base_dir`."""
    out = out.resolve()  # mkdocs reads a relative site_dir as relative to mkdocs.yml
    shutil.rmtree(out, ignore_errors=True)
    build_sites(document, api_url=api_url, site_url=site_url, out=out, base_dir=base_dir)
    build_widget(out / "widget")  # after the site: mkdocs empties its output folder
    return out
