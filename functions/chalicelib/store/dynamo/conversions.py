"""Conversions in DynamoDB: one order item per (program, event, order id), written once with
its effects (store/dynamo/recording.py), refunds, referred customers, and the program listing
on GSI1."""

from __future__ import annotations

from ...model.analytics import Page
from ...model.ledger import (
    ConversionEffects,
    EffectsRejectedError,
    OutboxMessage,
    RewardChange,
    rewards_to_text,
)
from ...model.records import RECORDED, Conversion, CustomerProfile, credits_of
from .. import keys
from ..attrs import Write, WriteUpdate, n, number, s, text, unavailable_on_failure
from ..items import conversion_from_item
from .confirmation import write_confirmation
from .effects import Label, change_writes, message_writes, rejection
from .recording import counter_update, write_conversion
from .shared import NEW, Table, failed


class DynamoConversions:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def record_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None = None
    ) -> tuple[Conversion, bool]:
        return write_conversion(self._table, conversion, effects, NEW)

    @unavailable_on_failure
    def get_conversion(self, program: str, event: str, order_id: str) -> Conversion | None:
        key = keys.key(keys.order_pk(program, event, order_id), keys.META)
        item = self._table.get(key, consistent=True)
        return conversion_from_item(item) if item else None

    @unavailable_on_failure
    def confirm_conversion(
        self,
        claim: Conversion,
        confirmed: Conversion,
        effects: ConversionEffects,
        changes: list[RewardChange],
    ) -> tuple[Conversion, bool]:
        return write_confirmation(self._table, claim, confirmed, effects, changes)

    @unavailable_on_failure
    def get_customer(self, program: str, customer: str) -> CustomerProfile | None:
        key = keys.key(keys.customer_pk(program, customer), keys.CUSTOMER_PROFILE)
        item = self._table.get(key, consistent=True)
        if item is None or "purchases" not in item:
            return None
        return CustomerProfile(
            program=program,
            customer=customer,
            code=text(item, "code"),
            first_at=number(item, "first_at"),
            purchases=int(number(item, "purchases")),
        )

    @unavailable_on_failure
    def refund_conversion(
        self,
        refunded: Conversion,
        changes: list[RewardChange],
        messages: tuple[OutboxMessage, ...] = (),
    ) -> bool:
        """Mark a conversion refunded, take it back out of its codes' counters (and the
        primary referrer's count), and move its rewards as `changes` say, in one transaction.
        False when it was already refunded; EffectsRejectedError when a reward had moved on."""
        writes: list[Write] = [{"Update": self._refund_update(refunded)}]
        for credit in credits_of(refunded):
            writes.append({"Update": counter_update(self._table, refunded, credit, -1)})
        if refunded.successful:
            writes.append(
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": keys.key(keys.code_pk(refunded.code), keys.META),
                        "UpdateExpression": f"ADD {keys.SUCCESS_COUNT} :minus",
                        "ExpressionAttributeValues": {":minus": n(-1)},
                    }
                }
            )
        labels: list[Label] = [("conversion", "")] + [("counter", "")] * (len(writes) - 1)
        for more, more_labels in (
            change_writes(self._table, changes),
            message_writes(self._table, messages),
        ):
            writes += more
            labels += more_labels
        reasons = self._table.transact(writes)
        if failed(reasons[0]):
            return False
        refused = rejection(labels, reasons, refunded.program, "")
        if refused is not None:
            raise EffectsRejectedError(refused)
        return True

    @unavailable_on_failure
    def list_conversions(
        self, program: str, since: float, until: float, limit: int, after: str | None
    ) -> Page[Conversion]:
        items, following = self._table.listing_page(
            keys.program_conversions_gsi(program),
            limit,
            after,
            keys.conversions_gsi_range(since, until),
        )
        return Page([conversion_from_item(item) for item in items], following)

    def _refund_update(self, refunded: Conversion) -> WriteUpdate:
        key = keys.order_pk(refunded.program, refunded.event, refunded.order_id)
        return {
            "TableName": self._table.name,
            "Key": keys.key(key, keys.META),
            "UpdateExpression": "SET #st = :refunded, refunded_at = :at, rewards = :rewards",
            "ConditionExpression": (
                "attribute_exists(PK) AND (attribute_not_exists(#st) OR #st = :recorded)"
            ),
            "ExpressionAttributeNames": {"#st": "status"},
            "ExpressionAttributeValues": {
                ":refunded": s(refunded.status),
                ":recorded": s(RECORDED),
                ":at": n(refunded.refunded_at),
                ":rewards": s(rewards_to_text(refunded.rewards)),
            },
        }
