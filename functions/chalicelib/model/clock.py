"""Time as a dependency, so tests can move it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class OffsetClock:
    """The system clock moved by the number of seconds written in a file (none while there
    is no file): how tests move the time of `referbee dev`, whose API and scheduler read the
    same file, without waiting. Never used by a deployed function (api/deps.py)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._read: tuple[int, int, float] = (0, 0, 0.0)  # (mtime_ns, size, offset)

    def now(self) -> float:
        return time.time() + self._offset()

    def _offset(self) -> float:
        try:
            stat = self._path.stat()
        except FileNotFoundError:
            return 0.0
        if self._read[:2] != (stat.st_mtime_ns, stat.st_size):
            try:
                offset = float(self._path.read_text().strip() or 0)
            except (OSError, ValueError):
                offset = 0.0
            self._read = (stat.st_mtime_ns, stat.st_size, offset)
        return self._read[2]


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, at: float) -> None:
        self.at = at

    def now(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


def utc_day(ts: float) -> str:
    """The UTC calendar day of a timestamp, as YYYY-MM-DD."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
