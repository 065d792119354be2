"""What each change adds to its program's daily rollup (analytics/metrics.py names the numbers
and says what each one counts)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
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
from .held import held_changes
from .metrics import (
    CLICKS,
    CUSTOMERS,
    DAY_SECONDS,
    LIFETIME_DAYS,
    MAIN_PAGE,
    PARTICIPANTS,
    PURCHASES,
    REFUNDS,
    REPEAT_PURCHASES,
    SHARED,
    SIGNUPS,
    SUCCESSFUL,
    UNIQUE_CLICKS,
    UNKNOWN,
    Contribution,
    from_click,
    lifetime_value,
    orders,
    organic,
    refunded,
    repeat,
    revenue,
    reward_metric,
    split,
)


def contribution(change: Change, catalogue: Catalogue) -> Contribution:
    found = Contribution()
    if isinstance(change, ClickMade):
        _click(found, change, catalogue)
    elif isinstance(change, CounterChange):
        _clicks(found, change, catalogue)
    elif isinstance(change, ConversionChange):
        _conversion(found, change)
        for program, day, name, sign in held_changes(change):
            found.add(program, day, name, sign)
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
        if old.event == "purchase" and old.customer_seq == 1:
            first = old.customer_first_at or old.created_at
            found.add(old.program, utc_day(first), CUSTOMERS, -1)
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
        if conversion.customer_seq > 1:
            found.add(program, day, REPEAT_PURCHASES, sign)
    clicked_at = click_time(conversion.click_id)
    if clicked_at is not None and (what == SIGNUPS or conversion.customer_seq <= 1):
        gap = max(0, (date.fromisoformat(day) - date.fromisoformat(utc_day(clicked_at))).days)
        found.add(program, day, from_click(what, gap), sign)
        if conversion.successful:
            found.add(program, day, from_click(SUCCESSFUL, gap), sign)


def click_time(click_id: str) -> float | None:
    """When the click of a click id was made (the id was checked when the conversion was
    recorded; its second part is the click's time in base 36 seconds)."""
    parts = click_id.split(".")
    if len(parts) < 4:
        return None
    try:
        return float(int(parts[1], 36))
    except ValueError:
        return None


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
