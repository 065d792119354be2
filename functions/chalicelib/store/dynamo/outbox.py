"""The outbox in DynamoDB: messages waiting to go out (webhook deliveries and emails), listed
by due time on GSI1 while queued, leased one attempt at a time, and the delivery log."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from ...model.ledger import QUEUED, DeliveryAttempt, LimitedMessage, OutboxMessage
from .. import keys, rules
from ..attrs import Item, Write, n, s, unavailable_on_failure
from .shared import Condition, Table, passed, tally_update


class DynamoOutbox:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def due_messages(self, now: float, limit: int = 25) -> list[OutboxMessage]:
        items = self._table.query(
            "GSI1PK = :pk AND GSI1SK <= :due",
            {":pk": s(keys.OUTBOX_DUE), ":due": s(keys.due_by(now))},
            index=keys.GSI1,
            limit=limit,
        )
        return [OutboxMessage(**json.loads(item["data"]["S"])) for item in items]

    @unavailable_on_failure
    def lease_message(self, message: OutboxMessage, now: float, until: float) -> bool:
        """Take a message for delivery until `until`, unless another dispatcher has it."""
        leased = self._table.update(
            _message_key(message),
            "SET lease_until = :until",
            {
                ":until": n(until),
                ":queued": s(QUEUED),
                ":attempts": n(message.attempts),
                ":now": n(now),
            },
            names={"#st": "status"},
            condition=(
                "#st = :queued AND attempts = :attempts "
                "AND (attribute_not_exists(lease_until) OR lease_until < :now)"
            ),
        )
        return leased is not None

    @unavailable_on_failure
    def finish_delivery(self, message: OutboxMessage, attempt: DeliveryAttempt) -> bool:
        """Record a delivery attempt: the message's new state (next try, or done) and a line
        in the delivery log, together. False if the message had already moved on."""
        before = Condition("attempts = :before", values={":before": n(message.attempts - 1)})
        reasons = self._table.transact(
            [self._table.put(_message_item(message), before), self._table.put(_log_item(attempt))]
        )
        return passed(reasons[0])

    @unavailable_on_failure
    def delivery_log(self, program: str, limit: int = 50) -> list[DeliveryAttempt]:
        items = self._table.query(
            "PK = :pk", {":pk": s(keys.delivery_log_pk(program))}, limit=limit, newest_first=True
        )
        return [DeliveryAttempt(**json.loads(item["data"]["S"])) for item in items]

    @unavailable_on_failure
    def queue_message(self, mail: LimitedMessage) -> bool:
        reasons = self._table.transact(mail_writes(self._table, mail))
        return passed(reasons[0])


def mail_writes(table: Table, mail: LimitedMessage) -> list[Write]:
    """A mail's tally (conditional on its limit) and its message, as transaction items."""
    return [{"Update": tally_update(table, mail.tally)}, *message_puts(table, (mail.message,))]


def message_puts(table: Table, messages: tuple[OutboxMessage, ...]) -> list[Write]:
    """Transaction items that queue messages (or store them as they are after an attempt)."""
    return [table.put(_message_item(message)) for message in messages]


def _message_key(message: OutboxMessage) -> Item:
    return keys.key(keys.outbox_pk(message.event_id), keys.outbox_sk(message.target))


def _message_item(message: OutboxMessage) -> Item:
    item: Item = {
        **_message_key(message),
        "program": s(message.program),
        "status": s(message.status),
        "attempts": n(message.attempts),
        "data": s(json.dumps(asdict(replace(message, lease_until=0.0)), separators=(",", ":"))),
    }
    if message.status == QUEUED:
        item.update(keys.gsi1(keys.OUTBOX_DUE, rules.message_order(message)))
    return item


def _log_item(attempt: DeliveryAttempt) -> Item:
    return {
        **keys.key(keys.delivery_log_pk(attempt.program), rules.log_order(attempt)),
        "data": s(json.dumps(asdict(attempt), separators=(",", ":"))),
        keys.TTL_ATTRIBUTE: n(rules.log_expiry(attempt)),
    }
