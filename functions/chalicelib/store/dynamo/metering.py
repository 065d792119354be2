"""How many requests the DynamoDB twin sends: counted where they happen, on the clients."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..attrs import Client


class RequestMeter:
    """Counts every request its clients send (botocore's `before-call` event: once per call,
    whatever the retries), by operation."""

    def __init__(self, clients: Iterable[Client]) -> None:
        self.calls: Counter[str] = Counter()
        for client in clients:
            client.meta.events.register("before-call.dynamodb", self._count)

    @property
    def total(self) -> int:
        return self.calls.total()

    def _count(self, event_name: str, **_: object) -> None:
        self.calls[event_name.rsplit(".", 1)[-1]] += 1
