"""The store contract suite's fixture: each test runs on both twins, through a recording
proxy (support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.store.memory import MemoryStore
from tests.unit.store_contract.support import CHECKS, TWINS, Recorded, note_test


@pytest.fixture(params=TWINS)
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    twin = MemoryStore() if request.param == "memory" else request.getfixturevalue("dynamo_store")
    note_test(request.node.module.__name__, request.node.originalname, request.param)
    yield Recorded(twin, request.param)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The suite's own checks read what the other contract tests recorded: they run last."""
    last = [item for item in items if _is_check(item)]
    items[:] = [item for item in items if item not in last] + last


def _is_check(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    return module is not None and str(module.__name__).endswith(f".{CHECKS}")
