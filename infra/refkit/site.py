"""Builds the program site (mkdocs-material) for a config, with the API address baked in."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import KIT_ROOT


def build_site(document: dict[str, Any], *, api_url: str, site_url: str, out: Path) -> Path:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(KIT_ROOT / "mkdocs.yml"), site_dir=str(out), strict=True)
    program = document["programs"][0]
    config["site_name"] = program.get("name", "Referral program")
    build(config)
    (out / "refkit.json").write_text(
        json.dumps({"api": api_url, "site": site_url, "program": program["id"]})
    )
    return out
