"""What every capability of the in-memory twin shares: the data, and the one lock that stands
in for DynamoDB's conditional writes and transactions."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from ...model.analytics import Change, Page
from ...model.errors import InvalidInputError
from ...model.ledger import DeliveryAttempt, OutboxMessage, RewardRecord, Tally
from ...model.payments import PaymentFacts, Receipt
from ...model.records import AdminKey, Conversion, CustomerProfile, Referrer, SigninLink

T = TypeVar("T")
Order = tuple[str, str, str]  # (program, event, order id)
Pool = tuple[str, str]  # (program, pool)
_CURSOR = "m:"  # this twin's cursors: the sort key of the last item read


@dataclass
class State:
    """The twin's data, by what DynamoDB would key it on. Counters are filed under their
    items' sort keys (keys.clicks_sk, keys.conversions_sk), as there."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0  # what the DynamoDB twin would have sent (store/memory/metering.py)
    referrers: dict[str, Referrer] = field(default_factory=dict)
    emails: dict[tuple[str, str], str] = field(default_factory=dict)
    visits: dict[tuple[str, str], tuple[float | None, list[float]]] = field(default_factory=dict)
    feed: list[Change] = field(default_factory=list)  # changes not yet taken (the stream)
    fed: int = 0  # how many changes were ever taken: the next one's sequence number
    counters: defaultdict[tuple[str, str], dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    orders: dict[Order, Conversion] = field(default_factory=dict)
    people: defaultdict[tuple[str, str], set[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    profiles: dict[tuple[str, str], CustomerProfile] = field(default_factory=dict)
    first_purchases: set[tuple[str, str]] = field(default_factory=set)
    rewards: dict[tuple[str, str], RewardRecord] = field(default_factory=dict)
    free: defaultdict[Pool, set[str]] = field(default_factory=lambda: defaultdict(set))
    used: defaultdict[Pool, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    limits: defaultdict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    tallies: defaultdict[tuple[str, str, str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    outbox: dict[tuple[str, str], OutboxMessage] = field(default_factory=dict)
    leases: dict[tuple[str, str], float] = field(default_factory=dict)
    log: defaultdict[str, list[DeliveryAttempt]] = field(default_factory=lambda: defaultdict(list))
    admin_keys: dict[str, AdminKey] = field(default_factory=dict)
    signins: dict[str, SigninLink] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)
    active: dict[str, str] = field(default_factory=dict)
    rollup_days: defaultdict[tuple[str, str], dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    rollup_totals: defaultdict[str, dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    receipts: dict[tuple[str, str, str], Receipt] = field(default_factory=dict)
    payments: dict[tuple[str, str], PaymentFacts] = field(default_factory=dict)


def add(values: dict[str, Decimal], adds: Mapping[str, Decimal]) -> None:
    """ADD, as DynamoDB does it: a counter that is not there yet starts at 0."""
    for name, value in adds.items():
        values[name] = values.get(name, Decimal(0)) + value


def order_of(conversion: Conversion) -> Order:
    return (conversion.program, conversion.event, conversion.order_id)


def tally_key(tally: Tally) -> tuple[str, str, str, str]:
    return (tally.program, tally.rule, tally.subject, tally.window)


def take_tally(state: State, tally: Tally) -> bool:
    """Count one in the tally unless it has reached its limit (the caller holds the lock)."""
    if tally.limit is not None and state.tallies[tally_key(tally)] >= tally.limit:
        return False
    state.tallies[tally_key(tally)] += 1
    return True


def page(items: Iterable[T], key: Callable[[T], str], limit: int, after: str | None) -> Page[T]:
    """One page of a listing in the order of `key`, from the cursor `after`."""
    if after is not None and not after.startswith(_CURSOR):
        raise InvalidInputError("The cursor does not belong to this listing.")
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if key(item) > after.removeprefix(_CURSOR)]
    chosen = ordered[:limit]
    more = len(ordered) > limit
    return Page(chosen, _CURSOR + key(chosen[-1]) if more and chosen else None)
