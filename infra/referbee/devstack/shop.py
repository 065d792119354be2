"""The demo shop: a small store page that embeds the widget the way a site owner would."""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

PAGES = Path(__file__).with_name("shop_pages")


def write_shop(dest: Path, document: dict[str, Any], *, api_url: str, site_url: str) -> Path:
    """Render the shop pages into `dest` for the first program of `document`."""
    program = document["programs"][0]
    values = {
        "api": api_url,
        "site": site_url,
        "program": program["id"],
        "program_name": program.get("name", program["id"]),
        "currency": program.get("currency", "USD"),
    }
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for page in PAGES.iterdir():
        text = page.read_text(encoding="utf-8")
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", html.escape(str(value), quote=True))
        (dest / page.name).write_text(text, encoding="utf-8")
    return dest
