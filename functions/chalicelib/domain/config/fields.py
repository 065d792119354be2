"""Reads untyped config/JSON values into typed ones, collecting every problem with its path.

A marketer editing referbee.yaml wants all mistakes at once, each naming the program, the field
and what is wrong, so readers never raise on the first problem: they record it and return a
default, and the caller raises one ConfigError at the end.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from ...model.errors import ConfigError

_HOST_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# Fields that are easy to write in the wrong section, and the section they belong to.
BELONGS_UNDER = {
    "hold_days": "rewards",
    "tiers": "rewards",
    "limits": "rewards",
    "primary_color": "brand",
    "logo": "brand",
    "favicon": "brand",
    "leaderboard": "site",
    "launcher_position": "widget",
    "launcher_text": "widget",
}


class FieldReader:
    """Collects problems while reading one document."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        problem = f"{path}: {message}"
        if problem not in self.problems:  # one mistake read twice is reported once
            self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            raise ConfigError(self.problems)

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"must be a mapping of fields, not {kind_of(value)}")
            return {}
        return value

    def only_known(self, data: Mapping[str, Any], known: Iterable[str], path: str) -> None:
        known = list(known)
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1)
                suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
                home = BELONGS_UNDER.get(str(key))
                if home and not path.endswith(f".{home}"):
                    suffix = f": it belongs under `{home}:` (see docs/config.md)"
                self.fail(f"{path}.{key}", f"unknown field{suffix}")

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: str | None = None,
        max_len: int = 500,
        pattern: re.Pattern[str] | None = None,
        pattern_hint: str = "",
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            if default is None:
                self.fail(f"{path}.{key}", "is required")
                return ""
            return default
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"must be text, not {kind_of(value)}")
            return default or ""
        value = value.strip()
        if len(value) > max_len:
            self.fail(f"{path}.{key}", f"must be at most {max_len} characters")
        if pattern is not None and not pattern.fullmatch(value):
            self.fail(f"{path}.{key}", f"'{value}' {pattern_hint}")
        return value

    def optional_text(
        self, data: Mapping[str, Any], key: str, path: str, *, max_len: int = 500
    ) -> str | None:
        if data.get(key) in (None, ""):
            return None
        return self.text(data, key, path, max_len=max_len)

    def integer(
        self, data: Mapping[str, Any], key: str, path: str, *, default: int, low: int, high: int
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", f"must be a whole number, not {kind_of(value)}")
            return default
        if not low <= value <= high:
            self.fail(f"{path}.{key}", f"must be between {low} and {high}, not {value}")
            return default
        return value

    def decimal(
        self, data: Mapping[str, Any], key: str, path: str, *, low: Decimal, high: Decimal
    ) -> Decimal | None:
        value = data.get(key)
        if value is None:
            self.fail(f"{path}.{key}", "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(f"{path}.{key}", f"must be a number, not {kind_of(value)}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{path}.{key}", f"must be a number, not '{value}'")
            return None
        if not number.is_finite() or not low <= number <= high:
            self.fail(f"{path}.{key}", f"must be between {low} and {high}, not {value}")
            return None
        return number

    def boolean(self, data: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"must be true or false, not {kind_of(value)}")
            return default
        return value

    def placeholders(
        self, text: str, path: str, allowed: tuple[str, ...], what: str = "placeholder"
    ) -> None:
        """Every `{name}` in `text` must be one of `allowed`."""
        names = ", ".join("{" + name + "}" for name in allowed)
        for name in re.findall(r"{([^{}]*)}", text):
            if name not in allowed:
                self.fail(path, f"unknown {what} {{{name}}}; use {names}")

    def url(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> str | None:
        value = data.get(key)
        if value in (None, "") and not required:
            return None
        raw = self.text(data, key, path, max_len=2000)
        if not raw:
            return None
        problem = url_problem(raw)
        if problem:
            self.fail(f"{path}.{key}", problem)
            return None
        return raw

    def host_list(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", f"must be a list of host names, not {kind_of(value)}")
            return ()
        hosts: list[str] = []
        for index, item in enumerate(value):
            host = str(item).strip().lower() if isinstance(item, str) else ""
            if not (_HOST_RE.match(host) or host in _LOCAL_HOSTS):
                self.fail(
                    f"{path}.{key}[{index}]",
                    f"'{item}' is not a host name "
                    "(write 'shop.example.com', without https:// or a path)",
                )
                continue
            hosts.append(host)
        return tuple(hosts)


def url_problem(raw: str) -> str | None:
    """Why `raw` cannot be a redirect or link target, or None when it can."""
    try:
        parts = urlsplit(raw)
    except ValueError:
        return f"'{raw}' is not a URL"
    host = (parts.hostname or "").lower()
    if any(ch in raw for ch in "\r\n\t\\ ") or parts.username or parts.password:
        return f"'{raw}' is not a plain URL (no spaces, backslashes or user:password@)"
    if parts.scheme == "http" and host in ("localhost", "127.0.0.1", "::1"):
        return None
    if parts.scheme != "https":
        return f"'{raw}' must start with https:// (http:// is allowed only for localhost)"
    if not host or not _HOST_RE.match(host):
        return f"'{raw}' has no valid host name"
    return None


def url_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__
