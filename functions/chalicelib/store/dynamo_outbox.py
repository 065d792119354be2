"""The outbox part of DynamoStore: messages waiting to go out (webhook deliveries and
emails), leased one attempt at a time, and the delivery log."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import Any

from ..model.clock import iso
from ..model.ledger import QUEUED, DeliveryAttempt, OutboxMessage
from . import keys
from .attrs import Item, n, query_all, s, unavailable_on_failure

LOG_DAYS = 30


class DynamoOutbox:
    _client: Any
    _table: str

    def _cancellation_reasons(self, items: list[Item]) -> list[Item]:
        raise NotImplementedError  # pragma: no cover - DynamoStore's

    @unavailable_on_failure
    def due_messages(self, now: float, limit: int = 25) -> list[OutboxMessage]:
        items = query_all(
            self._client,
            self._table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND GSI1SK <= :due",
            ExpressionAttributeValues={
                ":pk": s(keys.OUTBOX_DUE),
                ":due": s(f"{iso(now)}#~"),
            },
            limit=limit,
        )
        return [_message(item) for item in items]

    @unavailable_on_failure
    def lease_message(self, message: OutboxMessage, now: float, until: float) -> bool:
        """Take a message for delivery until `until`, unless another dispatcher has it."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_outbox_key(message),
                UpdateExpression="SET lease_until = :until",
                ConditionExpression=(
                    "#st = :queued AND attempts = :attempts "
                    "AND (attribute_not_exists(lease_until) OR lease_until < :now)"
                ),
                ExpressionAttributeNames={"#st": "status"},
                ExpressionAttributeValues={
                    ":until": n(until),
                    ":queued": s(QUEUED),
                    ":attempts": n(message.attempts),
                    ":now": n(now),
                },
            )
        except self._client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    @unavailable_on_failure
    def finish_delivery(self, message: OutboxMessage, attempt: DeliveryAttempt) -> bool:
        """Record a delivery attempt: the message's new state (next try, or done) and a line
        in the delivery log, together. False if the message had already moved on."""
        put = put_message(self._table, message)
        put["Put"]["ConditionExpression"] = "attempts = :before"
        put["Put"]["ExpressionAttributeValues"] = {":before": n(message.attempts - 1)}
        reasons = self._cancellation_reasons(
            [put, {"Put": {"TableName": self._table, "Item": _log_item(attempt)}}]
        )
        return reasons[0].get("Code") in (None, "None")

    @unavailable_on_failure
    def delivery_log(self, program: str, limit: int = 50) -> list[DeliveryAttempt]:
        page = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": s(keys.delivery_log_pk(program))},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [DeliveryAttempt(**json.loads(item["data"]["S"])) for item in page["Items"]]


def put_message(table: str, message: OutboxMessage) -> Item:
    return {"Put": {"TableName": table, "Item": _outbox_item(message)}}


def _outbox_key(message: OutboxMessage) -> Item:
    return {"PK": s(keys.outbox_pk(message.event_id)), "SK": s(keys.outbox_sk(message.target))}


def _outbox_item(message: OutboxMessage) -> Item:
    item: Item = {
        **_outbox_key(message),
        "program": s(message.program),
        "status": s(message.status),
        "attempts": n(message.attempts),
        "data": s(json.dumps(asdict(replace(message, lease_until=0.0)), separators=(",", ":"))),
    }
    if message.status == QUEUED:
        item["GSI1PK"] = s(keys.OUTBOX_DUE)
        item["GSI1SK"] = s(f"{iso(message.next_at)}#{message.event_id}#{message.target}")
    return item


def _message(item: Item) -> OutboxMessage:
    data = json.loads(item["data"]["S"])
    return OutboxMessage(**data)


def _log_item(attempt: DeliveryAttempt) -> Item:
    return {
        "PK": s(keys.delivery_log_pk(attempt.program)),
        "SK": s(f"{iso(attempt.at)}#{attempt.event_id}#{attempt.target}#{attempt.attempt:03d}"),
        "data": s(json.dumps(asdict(attempt), separators=(",", ":"))),
        "expires_at": n(int(attempt.at) + LOG_DAYS * 86400),
    }
