"""The trust-and-safety part of DynamoStore: the review queue of flagged conversions, rate-limit
tallies, admin key listing and revocation, and erasing a person (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..model.clock import iso
from ..model.ledger import ConversionEffects, Tally
from ..model.records import REVIEW, AdminKey, Conversion
from . import keys
from .attrs import Item, error_code, n, query_all, s, unavailable_on_failure
from .dynamo_keys import admin_key_from_item
from .dynamo_ledger import tally_update
from .items import conversion_from_item, conversion_item

_EMAIL_EVENTS = ("signup", "purchase")


class DynamoTrust:
    _client: Any
    _table: str

    def _write_conversion(
        self,
        conversion: Conversion,
        effects: ConversionEffects | None,
        condition: Item,
        extra: tuple[list[Item], list[tuple[str, str]]] = ([], []),
    ) -> tuple[Conversion, bool]:
        raise NotImplementedError  # pragma: no cover - DynamoStore's

    def _cancellation_reasons(self, items: list[Item]) -> list[Item]:
        raise NotImplementedError  # pragma: no cover - DynamoStore's

    def _trust_items(self, conversion: Conversion) -> list[Item]:
        """Written with a new conversion: its review-queue entry when it is flagged, and its
        line in the customer's person index when it names a customer email."""
        items: list[Item] = []
        if conversion.status == REVIEW:
            items.append(_put(self._table, _queue_item(conversion)))
        if conversion.identity:
            items.append(
                _put(
                    self._table,
                    {
                        "PK": s(keys.person_pk(conversion.program, conversion.identity)),
                        "SK": s(keys.person_sk(conversion.event, conversion.order_id)),
                        "event": s(conversion.event),
                        "order_id": s(conversion.order_id),
                    },
                )
            )
        return items

    @unavailable_on_failure
    def list_reviews(self, program: str, status: str, limit: int = 100) -> list[Conversion]:
        items = query_all(
            self._client,
            self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :status)",
            ExpressionAttributeValues={
                ":pk": s(keys.review_pk(program)),
                ":status": s(f"{status}#"),
            },
            ScanIndexForward=False,
            limit=limit,
        )
        return [conversion_from_item(item) for item in items]

    @unavailable_on_failure
    def approve_conversion(
        self, approved: Conversion, effects: ConversionEffects
    ) -> tuple[Conversion, bool]:
        """Count a conversion that was in review and write what it brings (the same items as
        a new conversion), on condition that it is still in review."""
        return self._write_conversion(
            approved,
            effects,
            _still_in_review(),
            (_queue_move(self._table, approved), [("queue", ""), ("queue", "")]),
        )

    @unavailable_on_failure
    def reject_conversion(self, rejected: Conversion) -> bool:
        put = _put(
            self._table,
            {
                "PK": s(keys.order_pk(rejected.program, rejected.event, rejected.order_id)),
                "SK": s(keys.META),
                **conversion_item(rejected),
            },
        )
        put["Put"].update(_still_in_review())
        reasons = self._cancellation_reasons([put, *_queue_move(self._table, rejected)])
        return reasons[0].get("Code") in (None, "None")

    @unavailable_on_failure
    def hit_rate(self, tally: Tally) -> int:
        """Count one request in a rate-limit window; returns the count including it."""
        request = tally_update(self._table, tally)["Update"]
        response = self._client.update_item(**request, ReturnValues="UPDATED_NEW")
        return int(response.get("Attributes", {}).get("count", {}).get("N", "1"))

    @unavailable_on_failure
    def list_admin_keys(self) -> list[AdminKey]:
        items = query_all(
            self._client,
            self._table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": s(keys.KEYS_GSI)},
        )
        return [admin_key_from_item(item) for item in items]

    @unavailable_on_failure
    def revoke_admin_key(self, key_hash: str, at: float) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"PK": s(keys.key_pk(key_hash)), "SK": s(keys.META)},
                UpdateExpression="SET revoked = :yes, revoked_at = :at",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":yes": {"BOOL": True}, ":at": n(at)},
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    @unavailable_on_failure
    def person_orders(self, program: str, identity: str) -> list[tuple[str, str]]:
        items = query_all(
            self._client,
            self._table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": s(keys.person_pk(program, identity))},
        )
        return [(item["event"]["S"], item["order_id"]["S"]) for item in items]

    @unavailable_on_failure
    def erase_referrer(self, code: str, program: str, email_key: str) -> None:
        """Remove the referrer's email, name and hashed identities; the code, its counters
        and rewards stay (anonymous). Their stats link stops working (new token version)."""
        self._client.update_item(
            TableName=self._table,
            Key={"PK": s(keys.code_pk(code)), "SK": s(keys.META)},
            UpdateExpression=(
                "SET #name = :blank, email_opt_out = :yes REMOVE email, email_key, "
                "#identity, #visitor ADD token_version :one"
            ),
            ExpressionAttributeNames={
                "#name": "name",
                "#identity": "identity",
                "#visitor": "visitor",
            },
            ExpressionAttributeValues={":blank": s(""), ":yes": {"BOOL": True}, ":one": n(1)},
        )
        self._client.delete_item(
            TableName=self._table,
            Key={"PK": s(keys.email_pk(program, email_key)), "SK": s(keys.META)},
        )

    @unavailable_on_failure
    def erase_customer(self, conversion: Conversion) -> None:
        """Remove the customer's hashed identities from a conversion (and its review-queue
        copy) and drop it from their person index; the counts it made stay."""
        erase = "SET #visitor = :blank REMOVE #identity, customer"
        targets = [keys.order_pk(conversion.program, conversion.event, conversion.order_id)]
        for pk, sk in [(targets[0], keys.META), *_queue_keys(conversion)]:
            try:
                self._client.update_item(
                    TableName=self._table,
                    Key={"PK": s(pk), "SK": s(sk)},
                    UpdateExpression=erase,
                    ConditionExpression="attribute_exists(PK)",
                    ExpressionAttributeNames={"#identity": "identity", "#visitor": "visitor"},
                    ExpressionAttributeValues={":blank": s("")},
                )
            except ClientError as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise
        if conversion.identity:
            self._client.delete_item(
                TableName=self._table,
                Key={
                    "PK": s(keys.person_pk(conversion.program, conversion.identity)),
                    "SK": s(keys.person_sk(conversion.event, conversion.order_id)),
                },
            )

    @unavailable_on_failure
    def forget_identity(self, program: str, identity: str, customer_key: str) -> None:
        """Delete what is keyed by a person's hashes: their duplicate-identity tallies and
        the first-purchase marker of their customer key."""
        doomed = [
            (keys.tally_pk(program, f"duplicate_email_{event}", identity), "all")
            for event in _EMAIL_EVENTS
        ]
        doomed.append((keys.customer_pk(program, customer_key), keys.FIRST_PURCHASE))
        for pk, sk in doomed:
            self._client.delete_item(TableName=self._table, Key={"PK": s(pk), "SK": s(sk)})


def _put(table: str, item: Item) -> Item:
    return {"Put": {"TableName": table, "Item": item}}


def _still_in_review() -> Item:
    return {
        "ConditionExpression": "#st = :review",
        "ExpressionAttributeNames": {"#st": "status"},
        "ExpressionAttributeValues": {":review": s(REVIEW)},
    }


def _queue_item(conversion: Conversion) -> Item:
    """The queue entry carries the whole conversion, so listing the queue is one query."""
    item = conversion_item(conversion)
    del item["GSI1PK"], item["GSI1SK"]
    return {
        "PK": s(keys.review_pk(conversion.program)),
        "SK": s(_queue_sk(conversion, conversion.status)),
        **item,
    }


def _queue_sk(conversion: Conversion, status: str) -> str:
    return keys.review_sk(
        "approved" if status == "recorded" else status,
        iso(conversion.created_at),
        conversion.event,
        conversion.order_id,
    )


def _queue_keys(conversion: Conversion) -> list[tuple[str, str]]:
    if not conversion.flags:
        return []
    return [(keys.review_pk(conversion.program), _queue_sk(conversion, conversion.status))]


def _queue_move(table: str, decided: Conversion) -> list[Item]:
    """Take the conversion out of the review list and file it under its decision."""
    return [
        {
            "Delete": {
                "TableName": table,
                "Key": {
                    "PK": s(keys.review_pk(decided.program)),
                    "SK": s(_queue_sk(decided, REVIEW)),
                },
            }
        },
        _put(table, _queue_item(decided)),
    ]
