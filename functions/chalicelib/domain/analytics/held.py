"""Conversions held for review, in a program's daily rollups: how many are waiting for a
person's decision now, and why, on the day each was made. A held conversion adds one while
it waits; a decision (or a refund) takes it back.

- `held.signups`, `held.purchases`: conversions waiting for a decision;
- `held.reason.{reason}`: the same, by the fraud rule that held them (a conversion held by
  two rules counts under both).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ...model.analytics import ConversionChange
from ...model.clock import utc_day
from ...model.records import Conversion
from ...model.statuses import REVIEW

HELD = "held."
REASON = "held.reason."


def reason_of(flag: str) -> str:
    """The rule of a fraud flag, without the detail that varies (a disposable email's domain)."""
    return flag.split(":", 1)[0] if flag.startswith("disposable_email") else flag


def held_changes(change: ConversionChange) -> Iterator[tuple[str, str, str, int]]:
    """(program, day, name, +1 or -1) for what a conversion's change does to the held counts."""
    for image, sign in ((change.old, -1), (change.new, 1)):
        if image is not None and image.status == REVIEW:
            yield from _held(image, sign)


def _held(conversion: Conversion, sign: int) -> Iterator[tuple[str, str, str, int]]:
    day = utc_day(conversion.created_at)
    what = "signups" if conversion.event == "signup" else "purchases"
    yield conversion.program, day, HELD + what, sign
    for reason in sorted({reason_of(flag) for flag in conversion.flags}):
        yield conversion.program, day, REASON + reason, sign


REASONS = {
    "self_referral:visitor": "Same browser as the referrer",
    "self_referral:email": "Same email as the referrer",
    "duplicate_identity:email": "Customer already referred (same email)",
    "duplicate_identity:visitor": "Customer already referred (same browser)",
    "duplicate_identity:customer": "Customer already referred (same customer id)",
    "disposable_email": "Disposable email address",
    "bot": "Automated client",
    "no_prior_click": "No click on the link before it",
    "velocity:referrer_per_hour": "Too many for one referrer in an hour",
    "velocity:visitor_per_day": "Too many from one visitor in a day",
}


def held_view(sums: Mapping[str, Decimal]) -> dict[str, Any]:
    """A period's conversions waiting for review, with how many each rule held, in words."""
    reasons = [
        {"name": name[len(REASON) :], "label": _label(name[len(REASON) :]), "count": int(value)}
        for name, value in sums.items()
        if name.startswith(REASON) and value
    ]
    return {
        "signups": int(sums.get(HELD + "signups", 0)),
        "purchases": int(sums.get(HELD + "purchases", 0)),
        "reasons": sorted(reasons, key=lambda r: (-r["count"], r["name"])),
    }


def reason_label(flag: str) -> str:
    """A fraud flag in words, for the people who decide (never shown to the referrer)."""
    return _label(reason_of(flag))


def _label(reason: str) -> str:
    return REASONS.get(reason, reason.replace("_", " ").replace(":", ": ").capitalize())
