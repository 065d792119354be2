"""The one formatting layer of the command line: every count, amount, percentage, date and
plural a person reads goes through here, formatted by Babel for one locale, so a unit always
looks the same ("1,234", "$1,234.50", "41.7%", "Nov 2, 2026", "1 referrer", "2 referrers").

The locale is REFERBEE_LOCALE, else the environment's (LC_ALL, LC_NUMERIC, LANG), else
en_US; the C/POSIX locale of servers and CI reads as en_US.
"""

from __future__ import annotations

import functools
import os
from datetime import date, datetime
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError, default_locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

NOTHING = "—"  # a value that is not defined (a ratio over zero)
PERCENT = "#,##0.0%"
RATIO = "#,##0.00"

Number = int | float | Decimal


@functools.cache
def locale() -> Locale:
    name = os.environ.get("REFERBEE_LOCALE") or default_locale(("LC_ALL", "LC_NUMERIC", "LANG"))
    if not name or name.split("_")[0].upper() in ("C", "POSIX") or name == "en_US_POSIX":
        name = "en_US"
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


def count(value: Number | None) -> str:
    """A whole number of things: 1,234."""
    return NOTHING if value is None else format_decimal(value, format="#,##0", locale=locale())


def money(amount: Number | None, currency: str) -> str:
    """An amount in its currency's own digits: $1,234.50, ¥1,235."""
    if amount is None:
        return NOTHING
    return format_currency(Decimal(str(amount)), currency, locale=locale())


def round_money(amount: Number, currency: str) -> str:
    """An amount for a sentence, without cents when it has none: $10, $12.50."""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return format_currency(
            value, currency, format="¤#,##0", currency_digits=False, locale=locale()
        )
    return money(value, currency)


def percent(ratio: Number | None) -> str:
    """A share, given as a ratio (0.4173): 41.7%."""
    return NOTHING if ratio is None else format_percent(ratio, format=PERCENT, locale=locale())


def ratio(value: Number | None) -> str:
    """A ratio that is not a share (invites per participant): 1.25."""
    return NOTHING if value is None else format_decimal(value, format=RATIO, locale=locale())


def day(iso: str | date | None) -> str:
    """A calendar day: Nov 2, 2026."""
    if not iso:
        return NOTHING
    value = iso if isinstance(iso, date) else date.fromisoformat(str(iso)[:10])
    return format_date(value, format="medium", locale=locale())


def moment(iso: str | None) -> str:
    """A point in time, in UTC as the API gives it: Nov 2, 2026, 14:05 UTC."""
    if not iso:
        return NOTHING
    value = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    return format_datetime(value, format="MMM d, y, HH:mm", locale=locale()) + " UTC"


def things(value: int, one: str, other: str) -> str:
    """A count with its noun in the right plural form: 1 referrer, 2 referrers."""
    word = one if locale().plural_form(value) == "one" else other
    return f"{count(value)} {word}"
