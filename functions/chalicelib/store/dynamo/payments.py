"""The webhooks' records in DynamoDB: a receipt per event handled (`HOOK#...`, expiring by
TTL), and the facts of each payment provider object (`PAYMENT#...`), merged by one
UpdateItem that returns the whole item, so two events meeting there see each other."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from ...model.losses import Loss
from ...model.payments import PaymentFacts, Receipt
from .. import keys, rules
from ..attrs import Item, b, boolean, n, number, s, text, unavailable_on_failure
from .shared import NEW, Table

_LOSS = "loss_"  # one attribute per report of a refund or dispute


class DynamoPayments:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def get_receipt(self, program: str, provider: str, event_id: str) -> Receipt | None:
        key = keys.key(keys.receipt_pk(program, provider, event_id), keys.META)
        item = self._table.get(key, consistent=True)
        return _receipt(item) if item else None

    @unavailable_on_failure
    def keep_receipt(self, receipt: Receipt) -> bool:
        item: Item = {
            **keys.key(
                keys.receipt_pk(receipt.program, receipt.provider, receipt.event_id), keys.META
            ),
            "program": s(receipt.program),
            "provider": s(receipt.provider),
            "event_id": s(receipt.event_id),
            "event_type": s(receipt.event_type),
            "handled_at": n(receipt.handled_at),
            "outcome": s(receipt.outcome),
            keys.TTL_ATTRIBUTE: n(rules.receipt_expiry(receipt)),
        }
        put = self._table.put(item, NEW)["Put"]
        try:
            self._table.client.put_item(**put)
        except self._table.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    @unavailable_on_failure
    def meet(self, program: str, key: str, facts: PaymentFacts) -> PaymentFacts:
        sets = ["program = :program"]
        names: dict[str, str] = {}
        values: Item = {":program": s(program)}
        if facts.order:
            sets.append("#order = :order")
            names["#order"] = "order"
            values[":order"] = s(facts.order)
        if facts.recorded:
            sets.append("recorded = :yes")
            values[":yes"] = b(True)
        if facts.ended_at:
            sets.append("ended_at = :ended")
            values[":ended"] = n(facts.ended_at)
        for index, loss in enumerate(facts.losses):
            sets.append(f"#l{index} = :l{index}")
            names[f"#l{index}"] = _loss_name(loss)
            values[f":l{index}"] = s(json.dumps(_loss_row(loss)))
        item = self._table.update(
            keys.key(keys.payment_pk(program, key), keys.META),
            "SET " + ", ".join(sets),
            values,
            names=names,
            returns="ALL_NEW",
        )
        return _facts(item or {})

    @unavailable_on_failure
    def facts(self, program: str, key: str) -> PaymentFacts:
        item = self._table.get(keys.key(keys.payment_pk(program, key), keys.META), consistent=True)
        return _facts(item or {})


def _loss_name(loss: Loss) -> str:
    """Each distinct report has its own attribute: the same report twice is one."""
    digest = hashlib.sha256(json.dumps(_loss_row(loss)).encode()).hexdigest()[:16]
    return _LOSS + digest


def _loss_row(loss: Loss) -> list[str]:
    return [loss.id, loss.kind, str(loss.amount), loss.status]


def _facts(item: Item) -> PaymentFacts:
    losses = []
    for name in item:
        if name.startswith(_LOSS):
            lid, kind, amount, status = json.loads(text(item, name))
            losses.append(Loss(lid, kind, Decimal(amount), status))
    return PaymentFacts(
        order=text(item, "order"),
        recorded=boolean(item, "recorded"),
        losses=tuple(sorted(losses, key=rules.loss_order)),
        ended_at=number(item, "ended_at"),
    )


def _receipt(item: Item) -> Receipt:
    return Receipt(
        program=text(item, "program"),
        provider=text(item, "provider"),
        event_id=text(item, "event_id"),
        event_type=text(item, "event_type"),
        handled_at=number(item, "handled_at"),
        outcome=text(item, "outcome"),
    )
