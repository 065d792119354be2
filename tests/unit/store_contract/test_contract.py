"""The contract itself: both twins implement every method of every capability of the Store
protocol (model/store.py) with its signature, in packages of the same files; this suite calls
every method on both twins; and the in-memory twin counts, for each call, the requests the
DynamoDB twin sends. The last two read what the other tests of the suite recorded (support.py),
so they run after them (conftest.py), and only when the whole suite ran."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from chalicelib.store.memory import MemoryStore
from chalicelib.store.memory.metering import REQUESTS
from tests.unit.store_contract.support import RECORD, TWINS, capabilities, methods

STORE = Path(__file__).parents[3] / "functions/chalicelib/store"


def test_both_twins_implement_every_method_with_the_protocols_signature(
    dynamo_store: Any,
) -> None:
    different = []
    for twin, store in (("memory", MemoryStore()), ("dynamo", dynamo_store)):
        for name, protocol in capabilities().items():
            implementation = type(getattr(store, name))
            assert methods(implementation) == methods(protocol), f"{twin}.{name}"
            for method in methods(protocol):
                wanted = _signature(getattr(protocol, method))
                if _signature(getattr(implementation, method)) != wanted:
                    different.append(f"{twin}.{name}.{method}")
    assert different == []


def test_both_twins_have_the_same_files() -> None:
    def files(twin: str) -> list[str]:
        return sorted(path.name for path in (STORE / twin).glob("*.py"))

    assert files("dynamo") == files("memory")
    assert {f"{name}.py" for name in capabilities()} <= set(files("dynamo"))


def test_the_suite_calls_every_method_on_both_twins() -> None:
    _whole_suite()
    missing = [
        f"{twin}: {name}.{method}"
        for name, protocol in capabilities().items()
        for method in methods(protocol)
        for twin in TWINS
        if not (RECORD.calls.get((twin, name, method)) or RECORD.refused.get((twin, name, method)))
    ]
    assert missing == []


def test_the_memory_twin_counts_what_the_dynamodb_twin_sends() -> None:
    _whole_suite()
    everything = {(name, method) for name, p in capabilities().items() for method in methods(p)}
    assert sorted(REQUESTS) == sorted(method for _, method in everything)
    fewest = {method: min(RECORD.calls[("dynamo", name, method)]) for name, method in everything}
    assert fewest == REQUESTS  # the DynamoDB twin's cheapest call of each, in the suite
    counted = {method: set(RECORD.calls[("memory", name, method)]) for name, method in everything}
    assert counted == {method: {cost} for method, cost in REQUESTS.items()}


def _signature(function: Any) -> str:
    return str(inspect.signature(function))


def _whole_suite() -> None:
    if not RECORD.suite_ran_whole():
        pytest.skip("run the whole store contract suite: this reads what its tests called")
