"""Builds what the bucket serves: the program site and the widget, with the deployed API's
address baked in. One small function, so the site and widget builds plug in here."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any


def build_site_and_widget(
    document: dict[str, Any], *, api_url: str, site_url: str, out: Path
) -> Path:
    from ..site import build_site

    out = out.resolve()  # mkdocs reads a relative site_dir as relative to mkdocs.yml
    shutil.rmtree(out, ignore_errors=True)
    build_site(document, api_url=api_url, site_url=site_url, out=out)
    _build_widget(out / "widget")
    return out


def _build_widget(out: Path) -> None:
    """The site build copies the widget into `<site>/widget/` once it exists; until then a
    widget module, if the kit has one, builds it here."""
    if (out / "refkit.js").exists():
        return
    try:
        from .. import widget  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return
    build = getattr(widget, "build_widget", None)
    if build is not None:
        build(out=out)
