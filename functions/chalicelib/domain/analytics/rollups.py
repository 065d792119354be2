"""Program rollups, kept off the request path: a batch of stream records (every write to the
table, delivered at least once) is added into one item per program and day.

Exactly once, however often a batch is delivered: the batch is split in parts (a code's
clicks all in one part), and the additions for a run of a part's records are written in one
transaction with the part's marker (its last record applied), on condition that the marker
is where it was read. A batch delivered again starts with the same record, splits the same
way, finds each part's marker, and applies only what comes after it. Active referrers are
counted from each code's last day with a click, which moves in the same transaction.

Clicks are counted here too: the click path writes only the visitor's visit item, and each
visit write reaches this batch as a ClickMade, which adds to its code's counters of the month
(what the referrer's stats view reads) in the same transaction as the program's day. A code's
counters take one write per batch, however many clicks the batch holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...model.analytics import (
    ROLLUP_ITEMS_PER_WRITE,
    ActiveMove,
    ChangeBatch,
    ChangeRecord,
    ClickMade,
    CounterChange,
    RollupConflictError,
    RollupWrite,
)
from ...model.errors import UnavailableError
from ..context import Context
from .contributions import contribution
from .metrics import ACTIVE_NEW, Contribution, active_gap

MARKER_SECONDS = 3 * 86400  # a stream keeps records 24 hours: markers outlive redeliveries
# A part's codes each add their counters and their active day (two items) to a transaction;
# the rest of its 100 items is room for the days they touch and the marker.
CODES_PER_PART = 40
_ROUNDS = 8


@dataclass(frozen=True)
class _Step:
    record: ChangeRecord
    adds: Contribution


def roll_up(ctx: Context, batch: ChangeBatch) -> int:
    """Add a batch's changes to the rollups; returns how many records were applied now (0 for
    a batch that was applied before)."""
    steps = [_Step(record, contribution(record.change, ctx.catalogue)) for record in batch.records]
    applied = 0
    for part, part_steps in _parts(batch.batch_id, steps):
        done = ctx.store.rollups.rollup_marker(part)
        for run in _runs([step for step in part_steps if _after(step.record.sequence, done)]):
            done, count = _apply(ctx, part, run, done)
            applied += count
    return applied


def _parts(batch_id: str, steps: list[_Step]) -> list[tuple[str, list[_Step]]]:
    """The batch in parts applied apart, each with its own marker (the last of its records
    applied): every click of a code in one part, so the code's counters take one write per
    batch however its clicks interleave with others'; codes packed CODES_PER_PART to a part
    in the order they first appear, so that a batch delivered again with more records behind
    it packs the same codes the same way; every other record in the batch's own part."""
    others: list[_Step] = []
    part_of: dict[str, int] = {}
    parts: list[list[_Step]] = []
    codes_in_last: set[str] = set()
    for step in steps:
        change = step.record.change
        if not isinstance(change, ClickMade | CounterChange):
            others.append(step)
            continue
        if change.code not in part_of:
            if not parts or len(codes_in_last) == CODES_PER_PART:
                parts.append([])
                codes_in_last = set()
            codes_in_last.add(change.code)
            part_of[change.code] = len(parts) - 1
        parts[part_of[change.code]].append(step)
    found = [(batch_id, others)] if others else []
    return found + [(f"{batch_id}#{n}", part) for n, part in enumerate(parts)]


def _apply(
    ctx: Context, batch_id: str, chunk: list[_Step], done: str | None
) -> tuple[str | None, int]:
    """Write one run of records; (the marker after it, records applied by this call)."""
    for _ in range(_ROUNDS):
        chunk = [step for step in chunk if _after(step.record.sequence, done)]
        if not chunk:
            return done, 0
        codes = [code for step in chunk for _, code, _ in step.adds.first_clicks]
        active = ctx.store.rollups.active_days(codes) if codes else {}
        write = _write(batch_id, done, chunk, active, ctx.clock.now() + MARKER_SECONDS)
        try:
            ctx.store.rollups.apply_rollup(write)
        except RollupConflictError:
            # Another delivery of this batch moved the marker, or a code's active day moved:
            # read both again and write only what is still missing.
            done = ctx.store.rollups.rollup_marker(batch_id)
            continue
        return write.last, len(chunk)
    raise UnavailableError("The rollups kept changing under this batch; it will be retried.")


def _write(
    batch_id: str,
    done: str | None,
    chunk: list[_Step],
    active: dict[str, str],
    expires_at: float,
) -> RollupWrite:
    days: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    clicks: dict[tuple[str, str, str], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    last_day = dict(active)
    for step in chunk:
        for target, adds in step.adds.days.items():
            for name, value in adds.items():
                days[target][name] += value
        for program, adds in step.adds.totals.items():
            for name, value in adds.items():
                totals[program][name] += value
        for counters, adds in step.adds.clicks.items():
            for name, value in adds.items():
                clicks[counters][name] += value
        for program, code, day in step.adds.first_clicks:
            before = last_day.get(code)
            if before is not None and before >= day:
                continue  # already active that day (or a later one)
            name = ACTIVE_NEW if before is None else active_gap(_days_between(before, day))
            days[(program, day)][name] += 1
            last_day[code] = day
    moves = tuple(
        ActiveMove(code, day, active.get(code))
        for code, day in sorted(last_day.items())
        if active.get(code) != day
    )
    return RollupWrite(
        batch_id=batch_id,
        after=done,
        last=chunk[-1].record.sequence,
        expires_at=expires_at,
        days={key: dict(value) for key, value in days.items()},
        totals={key: dict(value) for key, value in totals.items()},
        active=moves,
        clicks={key: dict(value) for key, value in clicks.items()},
    )


def _runs(steps: list[_Step]) -> list[list[_Step]]:
    """Runs of consecutive records whose writes fit one transaction (with the marker)."""
    chunks: list[list[_Step]] = []
    current: list[_Step] = []
    targets: set[object] = set()
    for step in steps:
        mine = _targets(step)
        if current and len(targets | mine) + 1 > ROLLUP_ITEMS_PER_WRITE:
            chunks.append(current)
            current, targets = [], set()
        current.append(step)
        targets |= mine
    if current:
        chunks.append(current)
    return chunks


def _targets(step: _Step) -> set[object]:
    adds = step.adds
    found: set[object] = {("day", key) for key in adds.days}
    found |= {("total", program) for program in adds.totals}
    found |= {("active", code) for _, code, _ in adds.first_clicks}
    found |= {("clicks", counters) for counters in adds.clicks}
    return found


def _after(sequence: str, done: str | None) -> bool:
    return done is None or int(sequence) > int(done)


def _days_between(earlier: str, later: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days
