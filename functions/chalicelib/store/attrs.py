"""DynamoDB attribute values in the low-level client's format, shared by the store modules."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from ..model.errors import ThrottledError, UnavailableError

T = TypeVar("T")
THROTTLING = frozenset(
    {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"}
)
Item = dict[str, Any]


def unavailable_on_failure(method: Callable[..., T]) -> Callable[..., T]:
    """Turn throttling, timeouts and service errors into UnavailableError (HTTP 503)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in THROTTLING:
                raise ThrottledError(f"The database is busy ({code}); try again.") from exc
            raise UnavailableError(f"The database is unavailable ({code}); try again.") from exc
        except BotoCoreError as exc:
            raise UnavailableError("The database cannot be reached; try again.") from exc

    return wrapper


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: float | int | Decimal) -> dict[str, str]:
    return {"N": str(value)}


def b(value: bool) -> dict[str, bool]:
    return {"BOOL": value}


def text(item: Item, name: str, default: str = "") -> str:
    return str(item.get(name, {}).get("S", default))


def number(item: Item, name: str, default: float = 0.0) -> float:
    value = item.get(name, {}).get("N")
    return float(value) if value is not None else default


def decimal_or_none(item: Item, name: str) -> Decimal | None:
    value = item.get(name, {}).get("N")
    return Decimal(value) if value is not None else None


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def month_of(at: float) -> str:
    return time.strftime("%Y-%m", time.gmtime(at))


def day_of(at: float) -> str:
    return time.strftime("%d", time.gmtime(at))


def query_all(client: Any, table: str, *, limit: int = 0, **request: Any) -> list[Item]:
    """Every page of a query (or the first `limit` items)."""
    request["TableName"] = table
    items: list[Item] = []
    while True:
        if limit:
            request["Limit"] = limit - len(items)
        page = client.query(**request)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page or (limit and len(items) >= limit):
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
