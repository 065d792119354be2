"""What the store contract suite shares: the twins' names, a recording proxy around each twin,
and what the proxies saw (every Store method called, on which twin, and the requests each call
cost), which test_contract.py checks once every other test of the suite has run."""

from __future__ import annotations

import inspect
import pkgutil
import typing
from collections import defaultdict
from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

from chalicelib.model import store as protocols

TWINS = ("memory", "dynamo")
CHECKS = "test_contract"  # the module that reads what the others recorded


def capabilities() -> dict[str, type]:
    """Each capability of the Store protocol (its attribute name) and its Protocol class."""
    hints = {
        name: typing.get_type_hints(member.fget, vars(protocols))["return"]
        for name, member in vars(protocols.Store).items()
        if isinstance(member, property)
    }
    return dict(sorted(hints.items()))


def methods(protocol: type) -> list[str]:
    return sorted(
        name
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    )


class Record:
    """What the suite's calls did: (twin, capability, method) -> the requests of each call
    that returned (a call refused before it asks anything, such as a listing given a foreign
    cursor, costs the DynamoDB twin nothing), and (module, test) -> the twins each test ran on."""

    def __init__(self) -> None:
        self.calls: defaultdict[tuple[str, str, str], list[int]] = defaultdict(list)
        self.refused: defaultdict[tuple[str, str, str], int] = defaultdict(int)
        self.tests: defaultdict[tuple[str, str], set[str]] = defaultdict(set)

    def suite_ran_whole(self) -> bool:
        """Whether every test of the suite that takes the `store` fixture ran on both twins."""
        return all(self.tests.get(test, set()) >= set(TWINS) for test in suite_tests())


RECORD = Record()


class Recorded:
    """A store twin whose capability methods are recorded as the suite calls them."""

    def __init__(self, store: Any, twin: str) -> None:
        self._store, self._twin = store, twin
        self._names = set(capabilities())

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        return (
            _RecordedCapability(self._store, self._twin, name, found)
            if name in self._names
            else found
        )


class _RecordedCapability:
    def __init__(self, store: Any, twin: str, capability: str, target: Any) -> None:
        self._store, self._twin, self._capability, self._target = store, twin, capability, target

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._target, name)
        if not callable(method):
            return method
        return self._recording(name, method)

    def _recording(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen = (self._twin, self._capability, name)
            before = self._store.requests
            try:
                result = method(*args, **kwargs)
            except Exception:
                RECORD.refused[seen] += 1
                raise
            RECORD.calls[seen].append(self._store.requests - before)
            return result

        return call


def note_test(module: str, test: str, twin: str) -> None:
    RECORD.tests[(module, test)].add(twin)


def suite_tests() -> list[tuple[str, str]]:
    """(module, test function) of every test of the suite that runs on both twins."""
    found = []
    for module in _suite_modules():
        for name, member in vars(module).items():
            if name.startswith("test_") and "store" in inspect.signature(member).parameters:
                found.append((module.__name__, name))
    return found


def _suite_modules() -> list[ModuleType]:
    package = import_module(__package__ or "")
    names = [
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith("test_")
    ]
    return [import_module(f"{package.__name__}.{name}") for name in names if name != CHECKS]
