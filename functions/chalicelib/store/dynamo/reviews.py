"""The review queue in DynamoDB: one entry per flagged conversion under its program, sorted by
status; approving writes what the conversion brings, in the same transaction as moving it."""

from __future__ import annotations

from ...model.ledger import ConversionEffects
from ...model.records import Conversion
from .. import keys, rules
from ..attrs import Write, s, unavailable_on_failure
from ..items import conversion_from_item, conversion_item
from .effects import Label
from .recording import STILL_IN_REVIEW, counter_adds, queue_move, write_conversion
from .shared import Table, passed


class DynamoReviews:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def list_reviews(self, program: str, status: str, limit: int = 100) -> list[Conversion]:
        prefix = keys.review_status_prefix(status)
        items = self._table.query(
            "PK = :pk AND begins_with(SK, :status)",
            {":pk": s(keys.review_pk(program)), ":status": s(prefix)},
            limit=limit,
            newest_first=True,
        )
        return [conversion_from_item(item) for item in items]

    @unavailable_on_failure
    def approve_conversion(
        self, approved: Conversion, effects: ConversionEffects
    ) -> tuple[Conversion, bool]:
        """Count a conversion that was in review and write what it brings (the same items as
        a new conversion), on condition that it is still in review."""
        move = queue_move(self._table, approved)
        labels: list[Label] = [("queue", "")] * len(move)
        released = rules.release_counters(approved)
        return write_conversion(
            self._table, approved, effects, STILL_IN_REVIEW, (move, labels), released
        )

    @unavailable_on_failure
    def reject_conversion(self, rejected: Conversion) -> bool:
        put = self._table.put(conversion_item(rejected), STILL_IN_REVIEW)
        month, _ = rules.month_and_day(rejected.created_at)
        released: list[Write] = [
            {"Update": counter_adds(self._table, rejected.program, code, month, adds)}
            for code, adds in rules.release_counters(rejected).items()
        ]
        reasons = self._table.transact([put, *queue_move(self._table, rejected), *released])
        return passed(reasons[0])
