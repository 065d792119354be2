"""The transaction items of what a conversion brings with it (rewards, coupon claims, limit,
first-purchase and customer counts, outbox messages, rule tallies) and of reward moves, each
with a label, and the reading of a cancelled transaction's reasons by those labels. Used by
conversions (record, refund), reviews (approve) and rewards (change)."""

from __future__ import annotations

from ...model.errors import UnavailableError
from ...model.ledger import (
    ConversionEffects,
    CouponClaim,
    CustomerBump,
    LimitBump,
    OutboxMessage,
    Rejection,
    RewardChange,
)
from .. import keys
from ..attrs import Item, Write, WriteUpdate, integer, n, number, s, text
from ..items import reward_item
from .outbox import message_puts
from .shared import NEW, Condition, Reason, Table, failed, passed, tally_update

Label = tuple[str, str]  # (what a transaction item is, which one): read back by rejection()


def effect_writes(
    table: Table, effects: ConversionEffects, program: str
) -> tuple[list[Write], list[Label]]:
    """Transaction items for what a conversion brings with it, and a label for each."""
    writes: list[Write] = []
    labels: list[Label] = []
    for reward in effects.rewards:
        writes.append(table.put(reward_item(reward), NEW))
        labels.append(("reward", reward.reward_id))
    for claim in effects.coupons:
        writes += _claim_writes(table, claim)
        labels += [("coupon", claim.coupon), ("coupon_used", claim.coupon)]
    if effects.limit is not None:
        writes.append({"Update": _limit_update(table, effects.limit)})
        labels.append(("limit", ""))
    if effects.first_purchase:
        marker = keys.key(keys.customer_pk(program, effects.first_purchase), keys.FIRST_PURCHASE)
        writes.append(table.put(marker, NEW))
        labels.append(("first_purchase", ""))
    if effects.customer is not None:
        writes.append({"Update": _customer_update(table, program, effects.customer)})
        labels.append(("customer", ""))
    more, more_labels = message_writes(table, effects.messages)
    writes += more
    labels += more_labels
    for tally in effects.tallies:
        writes.append({"Update": tally_update(table, tally)})
        labels.append(("tally", tally.rule))
    return writes, labels


def change_writes(table: Table, changes: list[RewardChange]) -> tuple[list[Write], list[Label]]:
    """Transaction items that move rewards, each only from its `before` status (claiming its
    coupon, if it draws one)."""
    writes: list[Write] = []
    labels: list[Label] = []
    for change in changes:
        before = Condition("#st = :before", {"#st": "status"}, {":before": s(change.before)})
        writes.append(table.put(reward_item(change.reward), before))
        labels.append(("reward", change.reward.reward_id))
        if change.coupon is not None:
            writes += _claim_writes(table, change.coupon)
            labels += [("coupon", change.coupon.coupon), ("coupon_used", change.coupon.coupon)]
    return writes, labels


def message_writes(
    table: Table, messages: tuple[OutboxMessage, ...]
) -> tuple[list[Write], list[Label]]:
    return message_puts(table, messages), [("message", "")] * len(messages)


def rejection(
    labels: list[Label], reasons: list[Reason], program: str, primary: str
) -> Rejection | None:
    """What failed in a cancelled transaction, by label; None when nothing did."""
    found, refused = Rejection(), False
    for (kind, ref), reason in zip(labels, reasons, strict=False):
        if passed(reason):
            continue
        if not failed(reason):
            code = reason.get("Code")
            raise UnavailableError(f"The database refused the write ({code}); try again.")
        refused = True
        _note(found, kind, ref, reason.get("Item") or {}, program, primary)
    return found if refused else None


def _note(found: Rejection, kind: str, ref: str, old: Item, program: str, primary: str) -> None:
    """Add one failed condition to a rejection; `old` is the item as the store saw it."""
    if kind == "referrer":
        if ref == primary and text(old, "program") == program:
            found.count = integer(old, keys.SUCCESS_COUNT)
            found.primary_identity = (text(old, "identity"), text(old, "visitor"))
        else:
            found.foreign_codes.add(ref)
    elif kind == "tally":
        found.tallies_over.add(ref)
    elif kind == "reward":
        found.rewards_taken.add(ref)
    elif kind == "coupon":
        found.coupons_taken.add(ref)
    elif kind == "limit":
        found.limit_reached = True
    elif kind == "first_purchase":
        found.not_first_purchase = True
    elif kind == "customer":
        found.customer_moved = True
        if "purchases" in old:
            found.customer = (
                text(old, "code"),
                number(old, "first_at"),
                int(number(old, "purchases")),
            )


def _claim_writes(table: Table, claim: CouponClaim) -> list[Write]:
    """Take a coupon out of its pool's free ones (it must be there) and file it as used."""
    pool = keys.pool_pk(claim.program, claim.pool)
    used = {
        **keys.key(pool, keys.used_coupon_sk(claim.coupon)),
        "coupon": s(claim.coupon),
        "reward_id": s(claim.reward_id),
    }
    return [
        {
            "Delete": {
                "TableName": table.name,
                "Key": keys.key(pool, keys.free_coupon_sk(claim.coupon)),
                "ConditionExpression": "attribute_exists(PK)",
            }
        },
        table.put(used),
    ]


def _customer_update(table: Table, program: str, bump: CustomerBump) -> WriteUpdate:
    """A new customer is created with their code and first purchase; a known one counted on
    condition that their purchases are still as many as the plan assumed."""
    update: WriteUpdate = {
        "TableName": table.name,
        "Key": keys.key(keys.customer_pk(program, bump.customer), keys.CUSTOMER_PROFILE),
        "UpdateExpression": "ADD purchases :one",
        "ConditionExpression": "purchases = :before",
        "ExpressionAttributeValues": {":before": n(bump.before), ":one": n(1)},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if bump.before == 0:
        update["UpdateExpression"] = (
            "SET program = :program, code = :code, first_at = :first ADD purchases :one"
        )
        update["ConditionExpression"] = "attribute_not_exists(purchases)"
        update["ExpressionAttributeValues"] = {
            ":program": s(program),
            ":code": s(bump.code),
            ":first": n(bump.first_at),
            ":one": n(1),
        }
    return update


def _limit_update(table: Table, limit: LimitBump) -> WriteUpdate:
    """One more referral reward for the code, in total and this month, unless either is at
    its limit."""
    conditions: list[str] = []
    values: Item = {":one": n(1)}
    if limit.per_referrer is not None:
        conditions.append("(attribute_not_exists(#total) OR #total < :total)")
        values[":total"] = n(limit.per_referrer)
    if limit.per_month is not None:
        conditions.append("(attribute_not_exists(#month) OR #month < :month)")
        values[":month"] = n(limit.per_month)
    return {
        "TableName": table.name,
        "Key": keys.key(keys.code_pk(limit.code), keys.LIMITS),
        "UpdateExpression": "ADD #total :one, #month :one",
        "ConditionExpression": " AND ".join(conditions),
        "ExpressionAttributeNames": {"#total": "total", "#month": f"m{limit.month}"},
        "ExpressionAttributeValues": values,
    }
