"""Reading a paged listing of the admin API (the exports) to the end or to a limit."""

from __future__ import annotations

import urllib.parse
from typing import Any

from .client import AdminClient

PAGE = 1000  # the exports' largest page


def all_rows(
    client: AdminClient, path: str, params: dict[str, str], limit: int
) -> list[dict[str, Any]]:
    """Rows of `path`, page after page, until the last page or `limit` rows: one call per
    page."""
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while len(rows) < limit:
        query = {**params, "limit": str(min(PAGE, limit - len(rows)))}
        if cursor:
            query["cursor"] = cursor
        page = client.call("GET", f"{path}?{urllib.parse.urlencode(query)}")
        rows += page["rows"]
        cursor = page.get("next")
        if not cursor:
            break
    return rows[:limit]
