"""Rate-limit windows in DynamoDB: the same tally items as the fraud rules' (one per program,
rule, subject and window, expiring by TTL), counted by one update."""

from __future__ import annotations

from ...model.ledger import Tally
from ..attrs import unavailable_on_failure
from .shared import Table, tally_update


class DynamoLimits:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def hit_rate(self, tally: Tally) -> int:
        """Count one request in a rate-limit window; returns the count including it."""
        update = tally_update(self._table, tally)
        response = self._table.client.update_item(**update, ReturnValues="UPDATED_NEW")
        return int(response.get("Attributes", {}).get("count", {}).get("N", "1"))
