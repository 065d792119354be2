"""Rewards in DynamoDB: each under its referrer's code (so the stats query returns it) and in
its program's GSI1 listing of its status; moves between statuses are conditional on the status
they leave."""

from __future__ import annotations

from ...model.analytics import Page
from ...model.ledger import EffectsRejectedError, OutboxMessage, RewardChange, RewardRecord
from .. import keys
from ..attrs import Item, s, unavailable_on_failure
from ..items import reward_from_item
from .effects import change_writes, message_writes, rejection
from .shared import Table


class DynamoRewards:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def get_rewards(self, refs: list[tuple[str, str]]) -> list[RewardRecord]:
        """Rewards by (code, reward id), in one BatchGetItem per 100."""
        wanted = [
            keys.key(keys.code_pk(code), keys.reward_sk(reward_id))
            for code, reward_id in dict.fromkeys(refs)
        ]
        return [reward_from_item(item) for item in self._table.batch_get(wanted, consistent=True)]

    @unavailable_on_failure
    def list_rewards(
        self, program: str, status: str, *, due_by: float | None = None, limit: int = 100
    ) -> list[RewardRecord]:
        """A program's rewards in one status, oldest first; `due_by`: only pending rewards
        whose hold has ended by then."""
        condition = "GSI1PK = :pk"
        values: Item = {":pk": s(keys.program_rewards_gsi(program, status))}
        if due_by is not None:
            condition += " AND GSI1SK <= :due"
            values[":due"] = s(keys.due_by(due_by))
        items = self._table.query(condition, values, index=keys.GSI1, limit=limit)
        return [reward_from_item(item) for item in items]

    @unavailable_on_failure
    def page_rewards(
        self, program: str, status: str, limit: int, after: str | None
    ) -> Page[RewardRecord]:
        partition = keys.program_rewards_gsi(program, status)
        items, following = self._table.listing_page(partition, limit, after)
        return Page([reward_from_item(item) for item in items], following)

    @unavailable_on_failure
    def change_rewards(
        self, changes: list[RewardChange], messages: tuple[OutboxMessage, ...] = ()
    ) -> None:
        """Move rewards between statuses atomically, each only from its `before` status;
        raises EffectsRejectedError naming the rewards (or coupons) that had moved on."""
        writes, labels = change_writes(self._table, changes)
        more, more_labels = message_writes(self._table, messages)
        refused = rejection(labels + more_labels, self._table.transact(writes + more), "", "")
        if refused is not None:
            raise EffectsRejectedError(refused)
