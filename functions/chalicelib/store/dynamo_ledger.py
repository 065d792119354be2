"""The incentive engine's part of DynamoStore: touchpoints, rewards, the coupon pool, limits,
and the conditions written with a conversion (store.dynamo_outbox has the outbox).
docs/data-model.md lists each item and access pattern.

Records are kept whole as JSON in a `data` attribute; the attributes that conditions and
indexes need (status, GSI keys) sit next to it.
"""

from __future__ import annotations

import json
from typing import Any

from ..model.clock import iso
from ..model.errors import UnavailableError
from ..model.ledger import (
    PENDING,
    ConversionEffects,
    CouponClaim,
    CustomerBump,
    EffectsRejectedError,
    OutboxMessage,
    PoolCounts,
    Rejection,
    RewardChange,
    RewardRecord,
    Tally,
    Touch,
)
from ..model.records import CustomerProfile
from . import keys
from .attrs import Item, n, number, query_all, s, text, unavailable_on_failure
from .dynamo_outbox import put_message

_COUPON_BATCH = 50  # two transaction items per coupon


class DynamoLedger:
    _client: Any
    _table: str

    def _get(self, pk: str, sk: str, *, consistent: bool = False) -> Item | None:
        raise NotImplementedError  # pragma: no cover - DynamoStore's

    def _cancellation_reasons(self, items: list[Item]) -> list[Item]:
        raise NotImplementedError  # pragma: no cover - DynamoStore's

    @unavailable_on_failure
    def touchpoints(self, visitor: str) -> list[Touch]:
        items = query_all(
            self._client,
            self._table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": s(keys.visit_pk(visitor))},
            ConsistentRead=True,
        )
        return [
            Touch(item["SK"]["S"].removeprefix("CODE#"), float(value["N"]))
            for item in items
            for value in item.get("touches", {}).get("L", [])
        ]

    @unavailable_on_failure
    def get_rewards(self, refs: list[tuple[str, str]]) -> list[RewardRecord]:
        """Rewards by (code, reward id), in one BatchGetItem per 100."""
        found: list[RewardRecord] = []
        for start in range(0, len(refs), 100):
            wanted = [
                {"PK": s(keys.code_pk(code)), "SK": s(keys.reward_sk(reward_id))}
                for code, reward_id in dict.fromkeys(refs[start : start + 100])
            ]
            request: Item = {self._table: {"Keys": wanted, "ConsistentRead": True}}
            while request:
                page = self._client.batch_get_item(RequestItems=request)
                found += [_reward(item) for item in page["Responses"].get(self._table, [])]
                request = page.get("UnprocessedKeys") or {}
        return found

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
            values[":due"] = s(f"{iso(due_by)}#~")
        items = query_all(
            self._client,
            self._table,
            IndexName="GSI1",
            KeyConditionExpression=condition,
            ExpressionAttributeValues=values,
            limit=limit,
        )
        return [_reward(item) for item in items]

    @unavailable_on_failure
    def change_rewards(
        self, changes: list[RewardChange], messages: tuple[OutboxMessage, ...] = ()
    ) -> None:
        """Move rewards between statuses atomically, each only from its `before` status;
        raises EffectsRejectedError naming the rewards (or coupons) that had moved on."""
        items, labels = self._change_items(changes)
        items += [put_message(self._table, message) for message in messages]
        labels += [("message", "")] * len(messages)
        rejection = self._rejection(labels, self._cancellation_reasons(items), "", "")
        if rejection is not None:
            raise EffectsRejectedError(rejection)

    @unavailable_on_failure
    def add_coupons(self, program: str, pool: str, coupons: list[str]) -> int:
        """Load coupon codes into a pool; a code the pool has ever held (free or handed out)
        is skipped, so no code can be handed out twice. Returns how many were added."""
        added = 0
        for start in range(0, len(coupons), _COUPON_BATCH):
            batch = list(dict.fromkeys(coupons[start : start + _COUPON_BATCH]))
            while batch:
                items: list[Item] = []
                for coupon in batch:
                    items += _new_coupon_items(self._table, program, pool, coupon)
                reasons = self._cancellation_reasons(items)
                failed = {
                    batch[index // 2]
                    for index, reason in enumerate(reasons)
                    if reason.get("Code") == "ConditionalCheckFailed"
                }
                if not failed:
                    added += len(batch)
                    break
                batch = [coupon for coupon in batch if coupon not in failed]
        return added

    @unavailable_on_failure
    def free_coupons(self, program: str, pool: str, limit: int = 10) -> list[str]:
        page = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :free)",
            ExpressionAttributeValues={
                ":pk": s(keys.pool_pk(program, pool)),
                ":free": s(keys.free_coupon_sk("")),
            },
            ConsistentRead=True,
            Limit=limit,
        )
        return [text(item, "coupon") for item in page["Items"]]

    @unavailable_on_failure
    def pool_counts(self, program: str, pool: str) -> PoolCounts:
        def count(prefix: str) -> int:
            total = 0
            request: Item = {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
                "ExpressionAttributeValues": {
                    ":pk": s(keys.pool_pk(program, pool)),
                    ":prefix": s(prefix),
                },
                "Select": "COUNT",
            }
            while True:
                page = self._client.query(**request)
                total += int(page["Count"])
                if "LastEvaluatedKey" not in page:
                    return total
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

        return PoolCounts(available=count("FREE#"), used=count("USED#"))

    def _effect_items(
        self, effects: ConversionEffects, program: str
    ) -> tuple[list[Item], list[tuple[str, str]]]:
        """Transaction items for what a conversion brings with it, and a label for each."""
        items: list[Item] = []
        labels: list[tuple[str, str]] = []
        for reward in effects.rewards:
            put = _put(self._table, _reward_item(reward))
            put["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
            items.append(put)
            labels.append(("reward", reward.reward_id))
        for claim in effects.coupons:
            items += _claim_items(self._table, claim)
            labels += [("coupon", claim.coupon), ("coupon_used", claim.coupon)]
        if effects.limit is not None:
            items.append(_limit_item(self._table, effects))
            labels.append(("limit", ""))
        if effects.first_purchase:
            put = _put(
                self._table,
                {
                    "PK": s(keys.customer_pk(program, effects.first_purchase)),
                    "SK": s(keys.FIRST_PURCHASE),
                },
            )
            put["Put"]["ConditionExpression"] = "attribute_not_exists(PK)"
            items.append(put)
            labels.append(("first_purchase", ""))
        if effects.customer is not None:
            items.append(_customer_item(self._table, program, effects.customer))
            labels.append(("customer", ""))
        items += [put_message(self._table, message) for message in effects.messages]
        labels += [("message", "")] * len(effects.messages)
        for tally in effects.tallies:
            items.append(tally_update(self._table, tally))
            labels.append(("tally", tally.rule))
        return items, labels

    @unavailable_on_failure
    def get_customer(self, program: str, customer: str) -> CustomerProfile | None:
        pk = keys.customer_pk(program, customer)
        item = self._get(pk, keys.CUSTOMER_PROFILE, consistent=True)
        if item is None or "purchases" not in item:
            return None
        return CustomerProfile(
            program=program,
            customer=customer,
            code=text(item, "code"),
            first_at=number(item, "first_at"),
            purchases=int(number(item, "purchases")),
        )

    def _change_items(
        self, changes: list[RewardChange]
    ) -> tuple[list[Item], list[tuple[str, str]]]:
        items: list[Item] = []
        labels: list[tuple[str, str]] = []
        for change in changes:
            put = _put(self._table, _reward_item(change.reward))
            put["Put"]["ConditionExpression"] = "#st = :before"
            put["Put"]["ExpressionAttributeNames"] = {"#st": "status"}
            put["Put"]["ExpressionAttributeValues"] = {":before": s(change.before)}
            items.append(put)
            labels.append(("reward", change.reward.reward_id))
            if change.coupon is not None:
                items += _claim_items(self._table, change.coupon)
                labels += [("coupon", change.coupon.coupon), ("coupon_used", change.coupon.coupon)]
        return items, labels

    def _rejection(
        self, labels: list[tuple[str, str]], reasons: list[Item], program: str, primary: str
    ) -> Rejection | None:
        """What failed in a cancelled transaction, by label; None when nothing did."""
        rejection, failed = Rejection(), False
        for (kind, ref), reason in zip(labels, reasons, strict=False):
            code = reason.get("Code") or "None"
            if code == "None":
                continue
            if code != "ConditionalCheckFailed":
                raise UnavailableError(f"The database refused the write ({code}); try again.")
            failed = True
            if kind == "referrer":
                old = reason.get("Item") or {}
                if ref == primary and text(old, "program") == program:
                    rejection.count = int(old.get("successful_referrals", {}).get("N", 0))
                    rejection.primary_identity = (text(old, "identity"), text(old, "visitor"))
                else:
                    rejection.foreign_codes.add(ref)
            elif kind == "tally":
                rejection.tallies_over.add(ref)
            elif kind == "reward":
                rejection.rewards_taken.add(ref)
            elif kind == "coupon":
                rejection.coupons_taken.add(ref)
            elif kind == "limit":
                rejection.limit_reached = True
            elif kind == "first_purchase":
                rejection.not_first_purchase = True
            elif kind == "customer":
                rejection.customer_moved = True
                old = reason.get("Item") or {}
                if "purchases" in old:
                    rejection.customer = (
                        text(old, "code"),
                        number(old, "first_at"),
                        int(number(old, "purchases")),
                    )
        return rejection if failed else None


def tally_update(table: str, tally: Tally) -> Item:
    """Count one more in a tally's window (conditional on its limit, if it has one)."""
    update: Item = {
        "TableName": table,
        "Key": {
            "PK": s(keys.tally_pk(tally.program, tally.rule, tally.subject)),
            "SK": s(tally.window),
        },
        "UpdateExpression": "SET expires_at = :expires ADD #n :one",
        "ExpressionAttributeNames": {"#n": "count"},
        "ExpressionAttributeValues": {":one": n(1), ":expires": n(tally.expires_at)},
    }
    if tally.limit is not None:
        update["ConditionExpression"] = "attribute_not_exists(#n) OR #n < :limit"
        update["ExpressionAttributeValues"][":limit"] = n(tally.limit)
    return {"Update": update}


def reward_from_item(item: Item) -> RewardRecord:
    return _reward(item)


def _put(table: str, item: Item) -> Item:
    return {"Put": {"TableName": table, "Item": item}}


def _reward_item(reward: RewardRecord) -> Item:
    sort_at = reward.approve_at if reward.status == PENDING else reward.updated_at
    return {
        "PK": s(keys.code_pk(reward.code)),
        "SK": s(keys.reward_sk(reward.reward_id)),
        "GSI1PK": s(keys.program_rewards_gsi(reward.program, reward.status)),
        "GSI1SK": s(f"{iso(sort_at)}#{reward.reward_id}"),
        "program": s(reward.program),
        "status": s(reward.status),
        "data": s(json.dumps(reward.to_json(), separators=(",", ":"))),
    }


def _reward(item: Item) -> RewardRecord:
    return RewardRecord.from_json(json.loads(item["data"]["S"]))


def _claim_items(table: str, claim: CouponClaim) -> list[Item]:
    pk = s(keys.pool_pk(claim.program, claim.pool))
    return [
        {
            "Delete": {
                "TableName": table,
                "Key": {"PK": pk, "SK": s(keys.free_coupon_sk(claim.coupon))},
                "ConditionExpression": "attribute_exists(PK)",
            }
        },
        _put(
            table,
            {
                "PK": pk,
                "SK": s(keys.used_coupon_sk(claim.coupon)),
                "coupon": s(claim.coupon),
                "reward_id": s(claim.reward_id),
            },
        ),
    ]


def _new_coupon_items(table: str, program: str, pool: str, coupon: str) -> list[Item]:
    pk = s(keys.pool_pk(program, pool))
    return [
        {
            "ConditionCheck": {
                "TableName": table,
                "Key": {"PK": pk, "SK": s(keys.used_coupon_sk(coupon))},
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        },
        {
            "Put": {
                "TableName": table,
                "Item": {"PK": pk, "SK": s(keys.free_coupon_sk(coupon)), "coupon": s(coupon)},
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        },
    ]


def _customer_item(table: str, program: str, bump: CustomerBump) -> Item:
    key = {"PK": s(keys.customer_pk(program, bump.customer)), "SK": s(keys.CUSTOMER_PROFILE)}
    if bump.before == 0:
        return {
            "Update": {
                "TableName": table,
                "Key": key,
                "UpdateExpression": (
                    "SET program = :program, code = :code, first_at = :first ADD purchases :one"
                ),
                "ConditionExpression": "attribute_not_exists(purchases)",
                "ExpressionAttributeValues": {
                    ":program": s(program),
                    ":code": s(bump.code),
                    ":first": n(bump.first_at),
                    ":one": n(1),
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": "ADD purchases :one",
            "ConditionExpression": "purchases = :before",
            "ExpressionAttributeValues": {":before": n(bump.before), ":one": n(1)},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
    }


def _limit_item(table: str, effects: ConversionEffects) -> Item:
    limit = effects.limit
    assert limit is not None
    conditions: list[str] = []
    values: Item = {":one": n(1)}
    if limit.per_referrer is not None:
        conditions.append("(attribute_not_exists(#total) OR #total < :total)")
        values[":total"] = n(limit.per_referrer)
    if limit.per_month is not None:
        conditions.append("(attribute_not_exists(#month) OR #month < :month)")
        values[":month"] = n(limit.per_month)
    return {
        "Update": {
            "TableName": table,
            "Key": {"PK": s(keys.code_pk(limit.code)), "SK": s(keys.LIMITS)},
            "UpdateExpression": "ADD #total :one, #month :one",
            "ConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": {"#total": "total", "#month": f"m{limit.month}"},
            "ExpressionAttributeValues": values,
        }
    }
