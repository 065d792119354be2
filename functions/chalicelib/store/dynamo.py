"""The DynamoDB store: every access pattern is one request in the common case.

Uses the low-level client (not the resource layer): less import time on a cold start and
less per-request work on the hot paths.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from ..domain.clock import iso
from ..domain.errors import (
    CodeTakenError,
    ReferrerExistsError,
    UnavailableError,
    UnknownCodeError,
)
from . import keys
from .records import (
    CLICKS,
    CONVERSIONS,
    AdminKey,
    BoardEntry,
    Conversion,
    CounterMonth,
    Referrer,
    channel_name,
    counter_name,
)
from .table import GSI2

T = TypeVar("T")
Item = dict[str, Any]

_TRANSACTION_ATTEMPTS = 6


def unavailable_on_failure(method: Callable[..., T]) -> Callable[..., T]:
    """Turn throttling, timeouts and service errors into UnavailableError (HTTP 503)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            raise UnavailableError(f"The database is unavailable ({code}); try again.") from exc
        except BotoCoreError as exc:
            raise UnavailableError("The database cannot be reached; try again.") from exc

    return wrapper


class DynamoStore:
    """`client` serves everything; `click_client` (default: the same) serves the click path
    and should not retry: a click that is not counted costs less than a visitor kept waiting
    through a backoff, and the redirect happens either way."""

    def __init__(self, client: Any, table: str, click_client: Any | None = None) -> None:
        self._client = client
        self._click_client = click_client or client
        self._table = table

    @property
    def clients(self) -> tuple[Any, ...]:
        return (
            (self._client,)
            if self._click_client is self._client
            else (self._client, self._click_client)
        )

    @unavailable_on_failure
    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        item = self._get(keys.email_pk(program, email_key), keys.META, consistent=consistent)
        return _referrer_from_item(item) if item else None

    @unavailable_on_failure
    def create_referrer(self, referrer: Referrer) -> None:
        meta = _referrer_item(referrer)
        meta.update(
            PK=_s(keys.code_pk(referrer.code)),
            SK=_s(keys.META),
            GSI1PK=_s(keys.program_referrers_gsi(referrer.program)),
            GSI1SK=_s(f"{iso(referrer.created_at)}#{referrer.code}"),
            GSI2PK=_s(keys.program_board_gsi(referrer.program)),
            successful_referrals=_n(referrer.successful_referrals),
        )
        by_email = _referrer_item(referrer)
        by_email.update(
            PK=_s(keys.email_pk(referrer.program, referrer.email_key)), SK=_s(keys.META)
        )
        reasons = self._transact(
            [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": by_email,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": meta,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
        if reasons[0] == "ConditionalCheckFailed":
            raise ReferrerExistsError("a referrer with this email already exists")
        if reasons[1] == "ConditionalCheckFailed":
            raise CodeTakenError("code already taken")

    @unavailable_on_failure
    def get_referrer(self, code: str) -> Referrer | None:
        item = self._get(keys.code_pk(code), keys.META, client=self._click_client)
        return _referrer_from_item(item) if item else None

    @unavailable_on_failure
    def claim_visit(self, visitor: str, code: str, now: float, window: int) -> bool:
        try:
            self._click_client.update_item(
                TableName=self._table,
                Key={"PK": _s(keys.visit_pk(visitor)), "SK": _s(keys.visit_sk(code))},
                UpdateExpression="SET seen_at = :now, expires_at = :expires",
                ConditionExpression="attribute_not_exists(seen_at) OR seen_at <= :cutoff",
                ExpressionAttributeValues={
                    ":now": _n(int(now)),
                    ":expires": _n(int(now) + window),
                    ":cutoff": _n(int(now) - window),
                },
            )
        except ClientError as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    @unavailable_on_failure
    def count_click(self, code: str, at: float, *, unique: bool, channel: str | None) -> str | None:
        stamp = time.strftime("%Y-%m-%d", time.gmtime(at))
        month, day = stamp[:7], stamp[8:]
        names = [counter_name("c", day)]
        if unique:
            names.append(counter_name("u", day))
        if channel:
            names.append(channel_name(channel))
        adds = ", ".join(f"#a{i} :one" for i in range(len(names)))
        request: Item = {
            "TableName": self._table,
            "Key": {"PK": _s(keys.code_pk(code)), "SK": _s(keys.clicks_sk(month))},
            "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(names)},
            "ExpressionAttributeValues": {":one": _n(1)},
        }
        try:
            # The common path: this month's counter item exists and knows its program.
            response = self._click_client.update_item(
                **request,
                UpdateExpression=f"ADD {adds}",
                ConditionExpression="attribute_exists(program)",
                ReturnValues="ALL_NEW",
            )
            return str(response["Attributes"]["program"]["S"])
        except ClientError as exc:
            if _error_code(exc) != "ConditionalCheckFailedException":
                raise
        # First click of the month (or an unknown code): look the code up once.
        meta = self._get(keys.code_pk(code), keys.META, client=self._click_client)
        if meta is None:
            return None
        program = str(meta["program"]["S"])
        request["ExpressionAttributeValues"][":program"] = _s(program)
        self._click_client.update_item(
            **request, UpdateExpression=f"SET program = :program ADD {adds}"
        )
        return program

    @unavailable_on_failure
    def record_conversion(self, conversion: Conversion) -> tuple[Conversion, bool]:
        day = time.strftime("%d", time.gmtime(conversion.created_at))
        letter = "p" if conversion.event == "purchase" else "s"
        names = {"#n": counter_name(letter, day)}
        adds = "#n :one"
        values: Item = {":one": _n(1), ":program": _s(conversion.program)}
        if conversion.amount > 0:
            names["#r"] = counter_name("r", day, conversion.currency)
            values[":amount"] = _n(conversion.amount)
            adds += ", #r :amount"
        order_key = {
            "PK": _s(keys.order_pk(conversion.program, conversion.event, conversion.order_id)),
            "SK": _s(keys.META),
        }
        item = {**order_key, **_conversion_item(conversion)}
        reasons = self._transact(
            [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": {
                            "PK": _s(keys.code_pk(conversion.code)),
                            "SK": _s(keys.conversions_sk(_month(conversion.created_at))),
                        },
                        "UpdateExpression": f"SET program = :program ADD {adds}",
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values,
                    }
                },
                _referrer_check(self._table, conversion),
            ]
        )
        if reasons[0] == "ConditionalCheckFailed":
            first = self._get(order_key["PK"]["S"], keys.META, consistent=True)
            if first is None:  # pragma: no cover - the item that blocked us cannot vanish
                raise UnavailableError("The conversion could not be read back; try again.")
            return _conversion_from_item(first), False
        if reasons[2] == "ConditionalCheckFailed":
            raise UnknownCodeError(
                f"Referral code '{conversion.code}' does not exist in program "
                f"'{conversion.program}'."
            )
        return conversion, True

    @unavailable_on_failure
    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        items: list[Item] = []
        request: Item = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": _s(keys.code_pk(code))},
        }
        while True:
            page = self._client.query(**request)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        referrer: Referrer | None = None
        months: list[CounterMonth] = []
        for item in items:
            sk = item["SK"]["S"]
            if sk == keys.META:
                referrer = _referrer_from_item(item)
            elif sk.startswith(("CLICKS#", "CONV#")):
                kind = CLICKS if sk.startswith("CLICKS#") else CONVERSIONS
                months.append(CounterMonth(code, kind, sk.split("#")[1], _numbers(item)))
        return (referrer, months) if referrer else None

    @unavailable_on_failure
    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        response = self._client.query(
            TableName=self._table,
            IndexName=GSI2,
            KeyConditionExpression="GSI2PK = :board AND successful_referrals > :none",
            ExpressionAttributeValues={
                ":board": _s(keys.program_board_gsi(program)),
                ":none": _n(0),
            },
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            BoardEntry(
                code=item["code"]["S"],
                name=item.get("name", {}).get("S", ""),
                successful_referrals=int(item["successful_referrals"]["N"]),
            )
            for item in response["Items"]
        ]

    @unavailable_on_failure
    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        # One page at most: `bound` index entries of ~100 bytes are far below the 1 MB page.
        response = self._client.query(
            TableName=self._table,
            IndexName=GSI2,
            KeyConditionExpression="GSI2PK = :board AND successful_referrals > :mine",
            ExpressionAttributeValues={
                ":board": _s(keys.program_board_gsi(program)),
                ":mine": _n(successful_referrals),
            },
            Select="COUNT",
            Limit=bound,
        )
        return min(int(response["Count"]), bound)

    @unavailable_on_failure
    def get_admin_key(self, key_hash: str) -> AdminKey | None:
        item = self._get(keys.key_pk(key_hash), keys.META)
        if item is None:
            return None
        return AdminKey(
            key_hash=item["key_hash"]["S"],
            name=item["name"]["S"],
            programs=tuple(item["programs"]["SS"]),
            scope=item["scope"]["S"],
            created_at=float(item["created_at"]["N"]),
            revoked=item.get("revoked", {}).get("BOOL", False),
        )

    @unavailable_on_failure
    def put_admin_key(self, key: AdminKey) -> None:
        self._client.put_item(
            TableName=self._table,
            Item={
                "PK": _s(keys.key_pk(key.key_hash)),
                "SK": _s(keys.META),
                "key_hash": _s(key.key_hash),
                "name": _s(key.name),
                "programs": {"SS": list(key.programs)},
                "scope": _s(key.scope),
                "created_at": _n(key.created_at),
                "revoked": {"BOOL": key.revoked},
            },
        )

    @unavailable_on_failure
    def delete_admin_key(self, key_hash: str) -> None:
        self._client.delete_item(
            TableName=self._table, Key={"PK": _s(keys.key_pk(key_hash)), "SK": _s(keys.META)}
        )

    def _get(
        self, pk: str, sk: str, *, consistent: bool = False, client: Any | None = None
    ) -> Item | None:
        response = (client or self._client).get_item(
            TableName=self._table,
            Key={"PK": _s(pk), "SK": _s(sk)},
            ConsistentRead=consistent,
        )
        item: Item | None = response.get("Item")
        return item

    def _transact(self, items: list[Item]) -> list[str]:
        """Run a transaction; return the cancellation reason codes (all 'None' on success).

        Concurrent transactions on the same item cancel each other with TransactionConflict;
        those are retried with jittered backoff so callers only see real condition failures.
        """
        for attempt in range(_TRANSACTION_ATTEMPTS):
            try:
                self._client.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if _error_code(exc) != "TransactionCanceledException":
                    raise
                reasons = [
                    r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])
                ]
                if "TransactionConflict" in reasons and "ConditionalCheckFailed" not in reasons:
                    if attempt + 1 < _TRANSACTION_ATTEMPTS:
                        time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
                        continue
                    raise
                return reasons + ["None"] * (len(items) - len(reasons))
            return ["None"] * len(items)
        raise AssertionError("unreachable")  # pragma: no cover


def _referrer_check(table: str, conversion: Conversion) -> Item:
    """The conversion's code must belong to its program; a successful referral also adds
    one to the referrer's count (the leaderboard's GSI2 sort key) in the same transaction."""
    key = {"PK": _s(keys.code_pk(conversion.code)), "SK": _s(keys.META)}
    values = {":program": _s(conversion.program)}
    if not conversion.successful:
        return {
            "ConditionCheck": {
                "TableName": table,
                "Key": key,
                "ConditionExpression": "program = :program",
                "ExpressionAttributeValues": values,
            }
        }
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": "ADD successful_referrals :one",
            "ConditionExpression": "program = :program",
            "ExpressionAttributeValues": {**values, ":one": _n(1)},
        }
    }


def _month(at: float) -> str:
    return time.strftime("%Y-%m", time.gmtime(at))


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float | int | Decimal) -> dict[str, str]:
    return {"N": str(value)}


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _numbers(item: Item) -> dict[str, Decimal]:
    return {name: Decimal(value["N"]) for name, value in item.items() if "N" in value}


def _referrer_item(referrer: Referrer) -> Item:
    return {
        "code": _s(referrer.code),
        "program": _s(referrer.program),
        "email_key": _s(referrer.email_key),
        "email": _s(referrer.email),
        "name": _s(referrer.name),
        "created_at": _n(referrer.created_at),
        "token_version": _n(referrer.token_version),
    }


def _referrer_from_item(item: Item) -> Referrer:
    return Referrer(
        code=item["code"]["S"],
        program=item["program"]["S"],
        email_key=item["email_key"]["S"],
        email=item["email"]["S"],
        name=item["name"]["S"],
        created_at=float(item["created_at"]["N"]),
        token_version=int(item["token_version"]["N"]),
        successful_referrals=int(item.get("successful_referrals", {}).get("N", 0)),
    )


def _conversion_item(conversion: Conversion) -> Item:
    return {
        "GSI1PK": _s(keys.program_conversions_gsi(conversion.program)),
        "GSI1SK": _s(f"{iso(conversion.created_at)}#{conversion.event}#{conversion.order_id}"),
        "program": _s(conversion.program),
        "event": _s(conversion.event),
        "order_id": _s(conversion.order_id),
        "code": _s(conversion.code),
        "created_at": _n(conversion.created_at),
        "amount": _n(conversion.amount),
        "currency": _s(conversion.currency),
        "click_id": _s(conversion.click_id),
        "visitor": _s(conversion.visitor),
        "successful": {"BOOL": conversion.successful},
    }


def _conversion_from_item(item: Item) -> Conversion:
    return Conversion(
        program=item["program"]["S"],
        event=item["event"]["S"],
        order_id=item["order_id"]["S"],
        code=item["code"]["S"],
        created_at=float(item["created_at"]["N"]),
        amount=Decimal(item["amount"]["N"]),
        currency=item["currency"]["S"],
        click_id=item["click_id"]["S"],
        visitor=item["visitor"]["S"],
        successful=item.get("successful", {}).get("BOOL", False),
    )
