"""Program rollups on both twins: a write adds once and moves its marker; active days move only
from where they were."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chalicelib.model.analytics import ActiveMove, RollupConflictError, RollupWrite
from tests.common import NOW


def write(after: str | None, last: str, **kw: Any) -> RollupWrite:
    return RollupWrite(batch_id="b1", after=after, last=last, expires_at=NOW + 86400, **kw)


def test_a_rollup_write_adds_once_and_moves_its_marker(store: Any) -> None:
    assert store.rollups.rollup_marker("b1") is None
    days = {("shop", "2026-11-18"): {"clicks": Decimal(2), "revenue.EUR": Decimal("9.5")}}
    store.rollups.apply_rollup(
        write(None, "100", days=days, totals={"shop": {"participants": Decimal(1)}})
    )
    assert store.rollups.rollup_marker("b1") == "100"
    with pytest.raises(RollupConflictError):  # the same write again: the marker moved
        store.rollups.apply_rollup(write(None, "100", days=days))
    more = {("shop", "2026-11-18"): {"clicks": Decimal(1)}, ("shop", "2026-11-19"): {"x": 0}}
    store.rollups.apply_rollup(write("100", "105", days=more))
    with pytest.raises(RollupConflictError):
        store.rollups.apply_rollup(write("100", "110", days=more))  # a stale marker
    found = store.rollups.read_rollups("shop", "2026-11-01")
    assert found.days == {
        "2026-11-18": {"clicks": Decimal(3), "revenue.EUR": Decimal("9.5")}
    }  # a zero addition writes nothing
    assert found.total == {"participants": Decimal(1)}
    assert store.rollups.read_rollups("shop", "2026-11-19").days == {}
    assert store.rollups.read_rollups("acme", "2026-01-01").days == {}


def test_active_days_move_only_from_where_they_were(store: Any) -> None:
    assert store.rollups.active_days(["abc2345", "xyz2345"]) == {}
    store.rollups.apply_rollup(
        write(None, "1", days={}, active=(ActiveMove("abc2345", "2026-11-01", None),))
    )
    assert store.rollups.active_days(["abc2345", "xyz2345"]) == {"abc2345": "2026-11-01"}
    with pytest.raises(RollupConflictError):
        store.rollups.apply_rollup(
            write("1", "2", days={}, active=(ActiveMove("abc2345", "2026-11-05", None),))
        )
    assert store.rollups.rollup_marker("b1") == "1"  # nothing of the refused write
    store.rollups.apply_rollup(
        write("1", "2", days={}, active=(ActiveMove("abc2345", "2026-11-05", "2026-11-01"),))
    )
    assert store.rollups.active_days(["abc2345"]) == {"abc2345": "2026-11-05"}
