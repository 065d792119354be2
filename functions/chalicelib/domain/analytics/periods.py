"""Report periods: whole UTC days, from a start day to an end day, both included.

A period is written either as `since` (the last N days, weeks, months or years, today
included: `30d`, `12w`, `6m`, `1y`) or as `from` and `to` dates (YYYY-MM-DD). Nothing given
means the last 30 days.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ...model.errors import InvalidInputError

MAX_DAYS = 1096  # three years: a report reads one item per day of its period
DEFAULT_SINCE = "30d"
_SINCE_RE = re.compile(r"([0-9]{1,4})([dwmy])")
_SINCE_HELP = "a number of days, weeks, months or years, like 30d, 12w, 6m or 1y"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def first_day(self) -> str:
        return self.start.isoformat()

    @property
    def last_day(self) -> str:
        return self.end.isoformat()

    @property
    def since(self) -> float:
        """The period's first second (epoch)."""
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC).timestamp()

    @property
    def until(self) -> float:
        """The period's last second (epoch)."""
        return self.since + self.days * 86400 - 1

    def dates(self) -> list[str]:
        return [(self.start + timedelta(days=i)).isoformat() for i in range(self.days)]


def parse_period(since: str | None, start: str | None, end: str | None, today: date) -> Period:
    """The period a report covers; InvalidInputError saying what to write instead. A
    parameter given empty is refused rather than read as left out."""
    for value, name, example in ((since, "since", "30d"), (start, "from", "2026-11-01")):
        if value is not None and not value.strip():
            raise InvalidInputError(f"'{name}' is empty: write it like {example}, or leave it out.")
    if end is not None and not end.strip():
        raise InvalidInputError("'to' is empty: write it like 2026-11-30, or leave it out.")
    if since and (start or end):
        raise InvalidInputError("Give either 'since' or 'from'/'to', not both.")
    if start or end:
        last = _day(end, "to") if end else today
        first = _day(start, "from") if start else last - timedelta(days=29)
    else:
        last = today
        first = since_start(since or DEFAULT_SINCE, today)
    if first > last:
        raise InvalidInputError(
            f"The period starts ({first.isoformat()}) after it ends ({last.isoformat()})."
        )
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise InvalidInputError(f"A report covers at most {MAX_DAYS} days; this is {period.days}.")
    return period


def since_start(since: str, today: date) -> date:
    """The first day of the last N days/weeks/months/years up to and including today."""
    match = _SINCE_RE.fullmatch(since.strip().lower())
    if match is None:
        raise InvalidInputError(f"Cannot read the period '{since[:20]}': write {_SINCE_HELP}.")
    count, unit = int(match.group(1)), match.group(2)
    if count == 0:
        raise InvalidInputError(f"The period '{since[:20]}' is empty: write {_SINCE_HELP}.")
    if unit == "d":
        return today - timedelta(days=count - 1)
    if unit == "w":
        return today - timedelta(days=7 * count - 1)
    months = count if unit == "m" else 12 * count
    return _months_before(today, months) + timedelta(days=1)


def today_utc(now: float) -> date:
    return datetime.fromtimestamp(now, UTC).date()


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        raise InvalidInputError(f"A report covers at most {MAX_DAYS} days.")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _day(raw: str, name: str) -> date:
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        message = f"'{name}' must be a date like 2026-11-01, not '{raw[:20]}'."
        raise InvalidInputError(message) from None
