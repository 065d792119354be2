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
from ...model.losses import losses_to_text
from ...model.records import RECORDED, Conversion, CustomerProfile, credits_of
from ...model.statuses import REFUNDED
from .. import keys
from ..attrs import Item, Write, WriteUpdate, n, number, s, text, unavailable_on_failure
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
        before: Conversion,
        after: Conversion,
        changes: list[RewardChange],
        messages: tuple[OutboxMessage, ...] = (),
    ) -> bool:
        """One transaction: the conversion's losses, rewards and status (on condition that
        its status and losses are still `before`'s); when it becomes refunded, its codes'
        counters and the primary referrer's count taken back; its rewards moved and
        adjustments written as `changes` say. False when the conversion had changed;
        EffectsRejectedError when a reward had moved on."""
        writes: list[Write] = [{"Update": self._refund_update(before, after)}]
        if after.status == REFUNDED and before.status != REFUNDED:
            writes += self._taken_back(after)
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
        refused = rejection(labels, reasons, after.program, "")
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

    def _taken_back(self, refunded: Conversion) -> list[Write]:
        """A refunded conversion leaves its codes' counters, and its referral its referrer's
        count."""
        writes: list[Write] = [
            {"Update": counter_update(self._table, refunded, credit, -1)}
            for credit in credits_of(refunded)
        ]
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
        return writes

    def _refund_update(self, before: Conversion, after: Conversion) -> WriteUpdate:
        key = keys.order_pk(after.program, after.event, after.order_id)
        values: Item = {
            ":status": s(after.status),
            ":before": s(before.status),
            ":at": n(after.refunded_at),
            ":rewards": s(rewards_to_text(after.rewards)),
            ":losses": s(losses_to_text(after.losses)),
        }
        held = "attribute_not_exists(losses)"
        if before.losses:
            held = "losses = :held"
            values[":held"] = s(losses_to_text(before.losses))
        status = "#st = :before"
        if before.status == RECORDED:
            status = "(attribute_not_exists(#st) OR #st = :before)"
        return {
            "TableName": self._table.name,
            "Key": keys.key(key, keys.META),
            "UpdateExpression": (
                "SET #st = :status, refunded_at = :at, rewards = :rewards, losses = :losses"
            ),
            "ConditionExpression": f"attribute_exists(PK) AND {status} AND {held}",
            "ExpressionAttributeNames": {"#st": "status"},
            "ExpressionAttributeValues": values,
        }
