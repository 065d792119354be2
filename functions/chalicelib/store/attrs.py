"""DynamoDB attribute values in the low-level client's format, their types, and the mapping of
the client's failures to referbee's errors.

The types come from boto3-stubs (mypy_boto3_dynamodb), a development dependency: the Lambda
package does not carry it, and importing its type definitions would add about 25 ms to every
cold start. The aliases below are strings, so nothing of the stubs is needed at run time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import ParamSpec, TypeAlias, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from ..model.errors import ThrottledError, UnavailableError

try:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.literals import ReturnValueType
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        ConditionCheckTypeDef,
        CreateTableInputTypeDef,
        KeysAndAttributesUnionTypeDef,
        PutTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        UpdateItemInputTypeDef,
        UpdateTypeDef,
    )
except ImportError:  # pragma: no cover - in Lambda, where only the type checker would use them
    pass

Client: TypeAlias = "DynamoDBClient"
Value: TypeAlias = "AttributeValueTypeDef"
Item: TypeAlias = "dict[str, AttributeValueTypeDef]"  # an item, a key, or expression values
Write: TypeAlias = "TransactWriteItemTypeDef"  # one item of a transaction
Query: TypeAlias = "QueryInputTypeDef"
Update: TypeAlias = "UpdateItemInputTypeDef"
Returns: TypeAlias = "ReturnValueType"
WriteUpdate: TypeAlias = "UpdateTypeDef"  # an update in a transaction
Check: TypeAlias = "ConditionCheckTypeDef"  # a condition check in a transaction
Put: TypeAlias = "PutTypeDef"  # a put in a transaction
TableDefinition: TypeAlias = "CreateTableInputTypeDef"
BatchRequest: TypeAlias = "Mapping[str, KeysAndAttributesUnionTypeDef]"

P = ParamSpec("P")
T = TypeVar("T")
THROTTLING = frozenset(
    {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"}
)
CONDITION_FAILED = "ConditionalCheckFailedException"


def unavailable_on_failure(method: Callable[P, T]) -> Callable[P, T]:
    """Turn throttling, timeouts and service errors into UnavailableError (HTTP 503)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except ClientError as exc:
            code = error_code(exc)
            if code in THROTTLING:
                raise ThrottledError(f"The database is busy ({code}); try again.") from exc
            raise UnavailableError(f"The database is unavailable ({code}); try again.") from exc
        except BotoCoreError as exc:
            raise UnavailableError("The database cannot be reached; try again.") from exc

    return wrapper


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def s(value: str) -> Value:
    return {"S": value}


def n(value: float | Decimal) -> Value:
    return {"N": str(value)}


def b(value: bool) -> Value:
    return {"BOOL": value}


def texts(values: tuple[str, ...] | list[str]) -> Value:
    return {"L": [s(value) for value in values]}


def text(item: Mapping[str, Value], name: str, default: str = "") -> str:
    return str(item.get(name, {}).get("S", default))


def number(item: Mapping[str, Value], name: str, default: float = 0.0) -> float:
    value = item.get(name, {}).get("N")
    return float(value) if value is not None else default


def integer(item: Mapping[str, Value], name: str) -> int:
    return int(item.get(name, {}).get("N", 0))


def boolean(item: Mapping[str, Value], name: str) -> bool:
    return bool(item.get(name, {}).get("BOOL", False))


def text_list(item: Mapping[str, Value], name: str) -> tuple[str, ...]:
    return tuple(str(value["S"]) for value in item.get(name, {}).get("L", []))


def decimal_or_none(item: Mapping[str, Value], name: str) -> Decimal | None:
    value = item.get(name, {}).get("N")
    return Decimal(value) if value is not None else None


def numbers(item: Mapping[str, Value]) -> dict[str, Decimal]:
    """Every number attribute of an item (counters and rollups), by name."""
    return {name: Decimal(value["N"]) for name, value in item.items() if "N" in value}
