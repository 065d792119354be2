"""DynamoDB requests made by the widget's routes, counted with botocore's event hook."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any


def count_requests(client: Any, action: Callable[[], Any]) -> dict[str, int]:
    calls: Counter[str] = Counter()

    def count(model: Any, **kwargs: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.dynamodb", count)
    try:
        action()
    finally:
        client.meta.events.unregister("before-call.dynamodb", count)
    return dict(calls)
