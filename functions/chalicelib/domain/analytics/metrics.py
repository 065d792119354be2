"""The names of the numbers in a program's daily rollup, and the Contribution that collects
additions to them (analytics/contributions.py works out what each change adds).

Every number in a rollup is a sum, so one change is a set of additions to (program, day)
items, and a refund or a reward moving on is a negative addition. The names are built here
and read back by analytics/kpis.py, so the scheme lives in one place. On the day it happened:

- `participants`: referrers who joined (codes issued);
- `clicks`, `unique_clicks`: clicks on referral links;
- `active.new`, `active.g{N}`: a code's first click of the day, for a code never clicked
  before or last clicked N days earlier (so active referrers of any period are exact);
- `signups`, `purchases`, `successful` (the success event): conversions, net of refunds;
- `revenue.{CUR}`, `orders.{CUR}`: purchase revenue and purchases by currency, net;
- `refunds`, `refunded.{CUR}`: refunds, on the day of the refunded conversion;
- `organic.signups`, `organic.purchases`, `organic.revenue.{CUR}`: conversions a browser
  reported without a click behind a referral, recorded without a referrer, net;
- `ch.{channel}.{what}`, `pg.{page}.{what}`, `model.{model}.{what}`: clicks, signups,
  purchases and `revenue.{CUR}` by share channel, landing page and attribution model
  (`shared` for models: conversions credited to more than one code);
- `clicked.{signups|purchases|successful}.g{N}`: conversions that came through a click
  (a click id) made N days earlier, so a period's rates count only conversions its own
  clicks produced;
  purchases here are customers' first ones (a click brings a customer once);
- `repeat_purchases`: purchases of a customer after their first;
- `customers`: referred customers' first purchases (a refund of it takes the customer back);
- `ltv{N}.{CUR}`, `repeat{N}`: on the day a customer first bought, their revenue within N
  days (30, 90, 365) of it, and whether they bought again within N days;
- `rewards.{status}.{count|points|CUR}`: rewards issued that day, by their current status;
- `held.*`: conversions held for review (analytics/held.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

CLICKS = "clicks"
UNIQUE_CLICKS = "unique_clicks"
PARTICIPANTS = "participants"
SIGNUPS = "signups"
PURCHASES = "purchases"
SUCCESSFUL = "successful"
CUSTOMERS = "customers"
REFUNDS = "refunds"
REPEAT_PURCHASES = "repeat_purchases"
ACTIVE_NEW = "active.new"
SHARED = "shared"
LIFETIME_DAYS = (30, 90, 365)
DAY_SECONDS = 86400
UNKNOWN = "unknown"  # a conversion whose click did not say (no click id, or an older one)
MAIN_PAGE = "main"  # the program's landing_url, as opposed to its named landing pages


def revenue(currency: str) -> str:
    return f"revenue.{currency}"


def orders(currency: str) -> str:
    return f"orders.{currency}"


def organic(name: str) -> str:
    """Conversions recorded without a referrer, counted apart: `organic.purchases`..."""
    return f"organic.{name}"


def refunded(currency: str) -> str:
    return f"refunded.{currency}"


def split(kind: str, name: str, what: str) -> str:
    """kind: ch (share channel), pg (landing page) or model (attribution model)."""
    return f"{kind}.{name}.{what}"


def active_gap(days: int) -> str:
    return f"active.g{days}"


def lifetime_value(days: int, currency: str) -> str:
    return f"ltv{days}.{currency}"


def repeat(days: int) -> str:
    return f"repeat{days}"


def from_click(what: str, gap_days: int) -> str:
    """what: signups, purchases or successful, made `gap_days` after their click."""
    return f"clicked.{what}.g{gap_days}"


def reward_metric(status: str, what: str) -> str:
    """what: count, points, or a currency."""
    return f"rewards.{status}.{what}"


@dataclass
class Contribution:
    """What some changes add: per (program, day), to program totals, and the codes whose
    first click of a day must be checked against their last active day."""

    days: dict[tuple[str, str], dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    totals: dict[str, dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    first_clicks: list[tuple[str, str, str]] = field(default_factory=list)  # program, code, day
    # (program, code, YYYY-MM) -> what clicks add to the code's own counters of that month
    clicks: dict[tuple[str, str, str], dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Decimal))
    )

    def add(self, program: str, day: str, name: str, value: Decimal | int) -> None:
        if value:
            self.days[(program, day)][name] += Decimal(value)
