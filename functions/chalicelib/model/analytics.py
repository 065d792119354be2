"""Records of program analytics, the same for both store twins: the changes that a stream of
table writes carries, the rollup writes that add them into one item per program and day, and
pages of the listings that the exports read.

A rollup write is applied exactly once: it moves its batch's marker (the last stream record
applied) on condition that the marker is where the writer read it, in the same transaction
as the additions (see docs/data-model.md, "Program rollups").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from .ledger import RewardRecord
from .records import Conversion, Referrer

T = TypeVar("T")

# A DynamoDB transaction holds at most 100 items: a rollup write stays well under that.
ROLLUP_ITEMS_PER_WRITE = 90


@dataclass(frozen=True)
class CounterChange:
    """A code's click counters of one month (the CLICKS item), before and after a write."""

    program: str
    code: str
    month: str  # YYYY-MM
    old: Mapping[str, Decimal]
    new: Mapping[str, Decimal]


@dataclass(frozen=True)
class ClickMade:
    """One counted click, as the visit write that recorded it tells it: the stream adds it to
    the code's click counters and the program's rollups, off the redirect's path."""

    program: str
    code: str
    at: float
    unique: bool
    channel: str
    page: str | None = None


@dataclass(frozen=True)
class ConversionChange:
    """A conversion recorded (old is None) or changed (a refund)."""

    old: Conversion | None
    new: Conversion


@dataclass(frozen=True)
class RewardUpdate:
    """A reward issued (old is None) or moved to another status."""

    old: RewardRecord | None
    new: RewardRecord


@dataclass(frozen=True)
class ReferrerJoined:
    """A referrer issued their code: a new participant."""

    referrer: Referrer


Change = ClickMade | CounterChange | ConversionChange | RewardUpdate | ReferrerJoined


@dataclass(frozen=True)
class ChangeRecord:
    sequence: str  # the stream's sequence number: digits, increasing along a shard
    change: Change


@dataclass(frozen=True)
class ChangeBatch:
    """The changes of one batch of stream records, in order. `batch_id` is the first record's
    event id: a batch delivered again starts with the same record."""

    batch_id: str
    records: tuple[ChangeRecord, ...]


@dataclass(frozen=True)
class ActiveMove:
    """A code's last day with a click moves from `before` (None: it had none) to `day`."""

    code: str
    day: str
    before: str | None


@dataclass(frozen=True)
class RollupWrite:
    """Additions to program days and totals for a run of a batch's records, with the move of
    the batch's marker from `after` (None: no marker yet) to `last`."""

    batch_id: str
    after: str | None
    last: str
    expires_at: float
    days: Mapping[tuple[str, str], Mapping[str, Decimal]]  # (program, YYYY-MM-DD) -> adds
    totals: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)  # program -> adds
    active: tuple[ActiveMove, ...] = ()
    # (program, code, YYYY-MM) -> additions to the code's click counters of that month
    clicks: Mapping[tuple[str, str, str], Mapping[str, Decimal]] = field(default_factory=dict)


class RollupConflictError(Exception):
    """The batch's marker or a code's last active day moved since it was read: read again."""


@dataclass(frozen=True)
class ProgramRollups:
    """A program's daily rollups from a day on, and its all-time totals."""

    days: dict[str, dict[str, Decimal]]  # YYYY-MM-DD -> metric -> value
    total: dict[str, Decimal]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; `after` is where the next one starts (None: this was the last)."""

    items: list[T]
    after: str | None
