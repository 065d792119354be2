"""What every capability of the DynamoDB twin shares: the table's name and clients, reads that
several of them make alike, conditional updates, and the transaction runner with its
cancellation reasons."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict, cast

from botocore.exceptions import ClientError

from ...model.ledger import Tally
from .. import keys
from ..attrs import (
    CONDITION_FAILED,
    BatchRequest,
    Client,
    Item,
    Put,
    Query,
    Returns,
    Update,
    Write,
    WriteUpdate,
    error_code,
    n,
    s,
)

TRANSACTION_ATTEMPTS = 6
BATCH_GET = 100  # keys per BatchGetItem
CONDITION_CHECK_FAILED = "ConditionalCheckFailed"  # a cancellation reason's code


class Reason(TypedDict, total=False):
    """Why one item of a cancelled transaction was refused ("None": it was not); a failed
    condition may carry the item as it was."""

    Code: str
    Item: Item


@dataclass(frozen=True)
class Condition:
    """The condition of a write, with the names and values it refers to."""

    expression: str
    names: dict[str, str] = field(default_factory=dict)
    values: Item = field(default_factory=dict)


NEW = Condition("attribute_not_exists(PK)")
EXISTS = Condition("attribute_exists(PK)")


class Table:
    """`client` serves everything; `click_client` (default: the same) serves the click path
    and should not retry: a click that is not counted costs less than a visitor kept waiting
    through a backoff, and the redirect happens either way."""

    def __init__(self, client: Client, name: str, click_client: Client | None = None) -> None:
        self.client = client
        self.click_client = click_client or client
        self.name = name

    def put(self, item: Item, condition: Condition | None = None) -> Write:
        """A Put of a transaction (on condition, if given)."""
        put: Put = {"TableName": self.name, "Item": item}
        if condition is not None:
            put["ConditionExpression"] = condition.expression
            if condition.names:
                put["ExpressionAttributeNames"] = condition.names
            if condition.values:
                put["ExpressionAttributeValues"] = condition.values
        return {"Put": put}

    def update_write(
        self, key: Item, expression: str, values: Item, condition: Condition | None = None
    ) -> Write:
        """An Update of a transaction (on condition, if given)."""
        update: WriteUpdate = {
            "TableName": self.name,
            "Key": key,
            "UpdateExpression": expression,
            "ExpressionAttributeValues": {**values, **(condition.values if condition else {})},
        }
        if condition is not None:
            update["ConditionExpression"] = condition.expression
            if condition.names:
                update["ExpressionAttributeNames"] = condition.names
        return {"Update": update}

    def get(self, key: Item, *, consistent: bool = False, clicks: bool = False) -> Item | None:
        client = self.click_client if clicks else self.client
        response = client.get_item(TableName=self.name, Key=key, ConsistentRead=consistent)
        return response.get("Item")

    def batch_get(self, wanted: list[Item], *, consistent: bool = False) -> list[Item]:
        """The items of these keys that exist, in BatchGetItems of BATCH_GET keys."""
        found: list[Item] = []
        for start in range(0, len(wanted), BATCH_GET):
            request: BatchRequest = {
                self.name: {"Keys": wanted[start : start + BATCH_GET], "ConsistentRead": consistent}
            }
            while request:
                page = self.client.batch_get_item(RequestItems=request)
                found += page["Responses"].get(self.name, [])
                request = page.get("UnprocessedKeys") or {}
        return found

    def query(
        self,
        condition: str,
        values: Item,
        *,
        index: str | None = None,
        limit: int = 0,
        newest_first: bool = False,
        consistent: bool = False,
    ) -> list[Item]:
        """Every page of a query, or its first `limit` items."""
        request = self._query(condition, values, index)
        if newest_first:
            request["ScanIndexForward"] = False
        if consistent:
            request["ConsistentRead"] = True
        items: list[Item] = []
        while True:
            if limit:
                request["Limit"] = limit - len(items)
            page = self.client.query(**request)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page or (limit and len(items) >= limit):
                return items
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def count(
        self, condition: str, values: Item, *, index: str | None = None, limit: int = 0
    ) -> int:
        """How many items a query matches, page by page (or `limit`, when it matches more)."""
        request = self._query(condition, values, index)
        request["Select"] = "COUNT"
        total = 0
        while True:
            if limit:
                request["Limit"] = limit - total
            page = self.client.query(**request)
            total += page["Count"]
            if "LastEvaluatedKey" not in page or (limit and total >= limit):
                return total
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def listing_page(
        self, partition: str, limit: int, after: str | None, between: tuple[str, str] | None = None
    ) -> tuple[list[Item], str | None]:
        """One page of a GSI1 listing (its sort keys `between` two bounds, if given) from the
        cursor `after`, and the cursor of the next page when there is one."""
        condition = "GSI1PK = :pk"
        values: Item = {":pk": s(partition)}
        if between is not None:
            condition += " AND GSI1SK BETWEEN :low AND :high"
            values.update({":low": s(between[0]), ":high": s(between[1])})
        request = self._query(condition, values, keys.GSI1)
        request["Limit"] = limit
        if after is not None:
            request["ExclusiveStartKey"] = keys.page_start(after, partition)
        page = self.client.query(**request)
        last = page.get("LastEvaluatedKey")
        return page["Items"], keys.page_cursor(last) if last else None

    def update(
        self,
        key: Item,
        expression: str,
        values: Item,
        *,
        names: dict[str, str] | None = None,
        condition: str = "",
        returns: Returns = "NONE",
        clicks: bool = False,
    ) -> Item | None:
        """Run an UpdateItem: the attributes it returned ({} unless `returns` asks for some),
        or None when its condition failed."""
        update: Update = {
            "TableName": self.name,
            "Key": key,
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
        if returns != "NONE":
            update["ReturnValues"] = returns
        if names:
            update["ExpressionAttributeNames"] = names
        if condition:
            update["ConditionExpression"] = condition
        client = self.click_client if clicks else self.client
        try:
            return client.update_item(**update).get("Attributes", {})
        except ClientError as exc:
            if error_code(exc) == CONDITION_FAILED:
                return None
            raise

    def transact(self, writes: list[Write]) -> list[Reason]:
        """Run a transaction; its cancellation reasons, one per item ({"Code": "None"} for each
        on success).

        Concurrent transactions on the same item cancel each other with TransactionConflict;
        those are retried with jittered backoff so callers only see real condition failures.
        """
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                self.client.transact_write_items(TransactItems=writes)
            except ClientError as exc:
                if error_code(exc) != "TransactionCanceledException":
                    raise
                reasons = cancellation_reasons(exc)
                codes = [reason.get("Code", "None") for reason in reasons]
                # A conflict makes the other reasons provisional (an item that failed its
                # condition may pass once the other transaction is done): try again, unless
                # the first item, the one that makes the write a repeat, already failed.
                if "TransactionConflict" in codes and codes[0] != CONDITION_CHECK_FAILED:
                    if attempt + 1 < TRANSACTION_ATTEMPTS:
                        time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
                        continue
                    raise
                return reasons + [{"Code": "None"}] * (len(writes) - len(reasons))
            return [{"Code": "None"}] * len(writes)
        raise AssertionError("unreachable")  # pragma: no cover

    def _query(self, condition: str, values: Item, index: str | None) -> Query:
        request: Query = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }
        if index is not None:
            request["IndexName"] = index
        return request


def tally_update(table: Table, tally: Tally) -> WriteUpdate:
    """Count one more in a tally's window (conditional on its limit, if it has one)."""
    values: Item = {":one": n(1), ":expires": n(tally.expires_at)}
    update: WriteUpdate = {
        "TableName": table.name,
        "Key": keys.key(keys.tally_pk(tally.program, tally.rule, tally.subject), tally.window),
        "UpdateExpression": f"SET {keys.TTL_ATTRIBUTE} = :expires ADD #n :one",
        "ExpressionAttributeNames": {"#n": "count"},
        "ExpressionAttributeValues": values,
    }
    if tally.limit is not None:
        update["ConditionExpression"] = "attribute_not_exists(#n) OR #n < :limit"
        values[":limit"] = n(tally.limit)
    return update


def failed(reason: Reason) -> bool:
    """Whether a cancellation reason is a failed condition."""
    return reason.get("Code") == CONDITION_CHECK_FAILED


def passed(reason: Reason) -> bool:
    """Whether a transaction item went through (its reason's code is "None")."""
    return (reason.get("Code") or "None") == "None"


def cancellation_reasons(exc: ClientError) -> list[Reason]:
    """The reasons of a cancelled transaction. botocore-stubs types a reason's item as a
    key-value pair; DynamoDB sends the item in the client's attribute format."""
    raw: Mapping[str, object] = exc.response
    reasons = raw.get("CancellationReasons")
    return cast("list[Reason]", list(reasons)) if isinstance(reasons, list) else []


def old_item(exc: ClientError) -> Item:
    """The item a failed condition returned (ReturnValuesOnConditionCheckFailure), or {}."""
    raw: Mapping[str, object] = exc.response
    item = raw.get("Item")
    return cast("Item", item) if isinstance(item, dict) else {}
