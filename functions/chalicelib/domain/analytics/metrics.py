"""What each change adds to its program's daily rollup, and the names of those numbers.

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
- `customers`: referred customers' first purchases;
- `ltv{N}.{CUR}`, `repeat{N}`: on the day a customer first bought, their revenue within N
  days (30, 90, 365) of it, and whether they bought again within N days;
- `rewards.{status}.{count|points|CUR}`: rewards issued that day, by their current status.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ...model.analytics import (
    Change,
    ClickMade,
    ConversionChange,
    CounterChange,
    ReferrerJoined,
    RewardUpdate,
)
from ...model.clock import utc_day
from ...model.ledger import RewardRecord
from ...model.program import Catalogue
from ...model.records import (
    Conversion,
    channel_name,
    counter_name,
    credits_of,
    page_name,
    parse_counter_name,
)
from ...model.statuses import RECORDED, REFUNDED

CLICKS = "clicks"
UNIQUE_CLICKS = "unique_clicks"
PARTICIPANTS = "participants"
SIGNUPS = "signups"
PURCHASES = "purchases"
SUCCESSFUL = "successful"
CUSTOMERS = "customers"
REFUNDS = "refunds"
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


def contribution(change: Change, catalogue: Catalogue) -> Contribution:
    found = Contribution()
    if isinstance(change, ClickMade):
        _click(found, change, catalogue)
    elif isinstance(change, CounterChange):
        _clicks(found, change, catalogue)
    elif isinstance(change, ConversionChange):
        _conversion(found, change)
    elif isinstance(change, RewardUpdate):
        _reward(found, change)
    elif isinstance(change, ReferrerJoined):
        referrer = change.referrer
        found.add(referrer.program, utc_day(referrer.created_at), PARTICIPANTS, 1)
        found.totals[referrer.program][PARTICIPANTS] += 1
    return found


def _click(found: Contribution, click: ClickMade, catalogue: Catalogue) -> None:
    """A click adds to its code's counters of the month (what the referrer's stats read) and
    to its program's day: clicks, unique clicks, its channel and its named landing page."""
    program, day = catalogue.programs.get(click.program), utc_day(click.at)
    adds = {counter_name("c", day[8:]): CLICKS}  # counter -> metric
    if click.unique:
        adds[counter_name("u", day[8:])] = UNIQUE_CLICKS
    adds[channel_name(click.channel)] = split("ch", click.channel, CLICKS)
    if click.page and program and click.page in program.landing_pages:
        adds[page_name(click.page)] = split("pg", click.page, CLICKS)
    counters = found.clicks[(click.program, click.code, day[:7])]
    for counter, metric in adds.items():
        counters[counter] += 1
        found.add(click.program, day, metric, 1)
    found.first_clicks.append((click.program, click.code, day))


def _clicks(found: Contribution, change: CounterChange, catalogue: Catalogue) -> None:
    """The difference between the counter item before and after: its day counters say which
    day was clicked; its channel and page counts say through what."""
    program = catalogue.programs.get(change.program)
    click_day = ""
    for name, delta in _deltas(change):
        parsed = parse_counter_name(name)
        if parsed is not None and parsed[0] in "cu":
            day = f"{change.month}-{parsed[1]}"
            found.add(change.program, day, CLICKS if parsed[0] == "c" else UNIQUE_CLICKS, delta)
            if parsed[0] == "c":
                click_day = max(click_day, day)
                if not change.old.get(name) and change.new.get(name):
                    found.first_clicks.append((change.program, change.code, day))
    if not click_day:
        return
    for name, delta in _deltas(change):
        if name.startswith("ch_"):
            found.add(change.program, click_day, split("ch", name[3:], CLICKS), delta)
        elif name.startswith("pg_") and program and name[3:] in program.landing_pages:
            found.add(change.program, click_day, split("pg", name[3:], CLICKS), delta)


def _deltas(change: CounterChange) -> Iterator[tuple[str, Decimal]]:
    for name in sorted(set(change.old) | set(change.new)):
        delta = change.new.get(name, Decimal(0)) - change.old.get(name, Decimal(0))
        if delta:
            yield name, delta


def _conversion(found: Contribution, change: ConversionChange) -> None:
    """A conversion counts from when it is recorded (at once, or when a status that held it
    back, such as a review, gives way) until it is refunded. A browser's claim confirmed by
    a trusted report counts as the trusted report says from then on."""
    old, new = change.old, change.new
    before = old.status if old is not None else None
    if old is not None and old.unverified and not new.unverified:
        if before == RECORDED:
            _count_conversion(found, old, -1)
        if new.status == RECORDED:
            _count_conversion(found, new, 1)
            if before != RECORDED:
                _count_customer(found, new)
    elif new.status == RECORDED and before not in (RECORDED, REFUNDED):
        _count_conversion(found, new, 1)
        _count_customer(found, new)
    elif old is not None and before == RECORDED and new.status == REFUNDED:
        _count_conversion(found, old, -1)
        day = utc_day(old.created_at)
        found.add(old.program, day, REFUNDS, 1)
        if old.amount:
            found.add(old.program, day, refunded(old.currency), old.amount)


def _count_conversion(found: Contribution, conversion: Conversion, sign: int) -> None:
    program, day = conversion.program, utc_day(conversion.created_at)
    what = SIGNUPS if conversion.event == "signup" else PURCHASES
    amount = conversion.amount * sign
    if conversion.organic:
        found.add(program, day, organic(what), sign)
        if conversion.event == "purchase" and conversion.currency:
            found.add(program, day, organic(revenue(conversion.currency)), amount)
        return
    found.add(program, day, what, sign)
    if conversion.successful:
        found.add(program, day, SUCCESSFUL, sign)
    if conversion.event == "purchase" and conversion.currency:
        found.add(program, day, orders(conversion.currency), sign)
        found.add(program, day, revenue(conversion.currency), amount)
    splits = (
        ("ch", conversion.channel or UNKNOWN),
        ("pg", conversion.page or MAIN_PAGE),
        ("model", conversion.model or UNKNOWN),
    )
    for kind, name in splits:
        found.add(program, day, split(kind, name, what), sign)
        if conversion.currency:
            found.add(program, day, split(kind, name, revenue(conversion.currency)), amount)
    if len(credits_of(conversion)) > 1:
        found.add(program, day, split("model", conversion.model or UNKNOWN, SHARED), sign)
    if conversion.event == "purchase":
        _count_lifetime(found, conversion, amount)


def _count_customer(found: Contribution, conversion: Conversion) -> None:
    """A customer's first purchase makes them a customer; their second, a repeat customer.
    Both are counted on the day they first bought; a refund changes neither."""
    if (
        conversion.organic
        or conversion.event != "purchase"
        or conversion.customer_seq not in (1, 2)
    ):
        return
    first = conversion.customer_first_at or conversion.created_at
    cohort = utc_day(first)
    if conversion.customer_seq == 1:
        found.add(conversion.program, cohort, CUSTOMERS, 1)
        return
    for days in LIFETIME_DAYS:
        if conversion.created_at - first <= days * DAY_SECONDS:
            found.add(conversion.program, cohort, repeat(days), 1)


def _count_lifetime(found: Contribution, conversion: Conversion, amount: Decimal) -> None:
    if not conversion.currency or not conversion.customer_seq:
        return
    first = conversion.customer_first_at or conversion.created_at
    cohort = utc_day(first)
    for days in LIFETIME_DAYS:
        if conversion.created_at - first <= days * DAY_SECONDS:
            found.add(conversion.program, cohort, lifetime_value(days, conversion.currency), amount)


def _reward(found: Contribution, change: RewardUpdate) -> None:
    old, new = change.old, change.new
    if old is not None and (old.status, old.amount, old.points, old.created_at) == (
        new.status,
        new.amount,
        new.points,
        new.created_at,
    ):
        return
    if old is not None:
        _count_reward(found, old, -1)
    _count_reward(found, new, 1)


def _count_reward(found: Contribution, reward: RewardRecord, sign: int) -> None:
    program, day, status = reward.program, utc_day(reward.created_at), reward.status
    found.add(program, day, reward_metric(status, "count"), sign)
    if reward.amount is not None and reward.currency:
        found.add(program, day, reward_metric(status, reward.currency), reward.amount * sign)
    if reward.points:
        found.add(program, day, reward_metric(status, "points"), reward.points * sign)
