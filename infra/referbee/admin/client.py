"""A small HTTP client for the admin API (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from chalicelib.model.errors import ReferbeeError

from .. import legacy


class AdminClient:
    def __init__(self, api: str | None, key: str) -> None:
        self.api = (api or _dev_api()).rstrip("/")
        self.key = key

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the marketer's own API
            self.api + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise ReferbeeError(f"{exc.code}: {_error_of(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ReferbeeError(f"cannot reach the API at {self.api} ({exc})") from exc


def quoted(part: str) -> str:
    """One part of an API path, with every reserved character escaped."""
    return urllib.parse.quote(part, safe="")


def _dev_api() -> str:
    connection = legacy.state_dir() / "dev" / "api.json"
    if connection.exists():
        return str(json.loads(connection.read_text())["api"])
    raise ReferbeeError(
        "no API address: pass --api (or set REFERBEE_API_URL), or run this next to a "
        "running `referbee dev`"
    )


def _error_of(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read())["error"])
    except (ValueError, KeyError, TypeError):
        return exc.reason if isinstance(exc.reason, str) else "the API refused the call"
