"""Writing a conversion in DynamoDB: one transaction holds the conversion item, its codes'
counters, its referrers' checks (and the primary referrer's count), its review-queue entry
and person index line, and its effects. Used by conversions (record, refund) and reviews
(approve)."""

from __future__ import annotations

from decimal import Decimal

from ...model.errors import UnavailableError, UnknownCodeError
from ...model.ledger import (
    ConversionEffects,
    CountGuard,
    Credit,
    EffectsRejectedError,
    IdentityGuard,
)
from ...model.records import REVIEW, Conversion, credits_of
from .. import keys, rules
from ..attrs import Check, Item, Write, WriteUpdate, n, s
from ..items import conversion_from_item, conversion_item, queue_item
from .effects import Label, effect_writes, rejection
from .shared import Condition, Table, failed


def write_conversion(
    table: Table,
    conversion: Conversion,
    effects: ConversionEffects | None,
    condition: Condition,
    extra: tuple[list[Write], list[Label]] = ([], []),
    released: dict[str, dict[str, Decimal]] | None = None,
) -> tuple[Conversion, bool]:
    """One transaction: the conversion item (under `condition`'s: new, or still in review),
    its counters (with what a decision on it takes back from them, `released`), its
    referrers' checks, its effects and `extra` items. A failed first condition answers with
    the stored conversion and created=False."""
    writes: list[Write] = [table.put(conversion_item(conversion), condition)]
    labels: list[Label] = [("conversion", "")]
    guard = effects.count_guard if effects else None
    identity = effects.identity_guard if effects else None
    month, _ = rules.month_and_day(conversion.created_at)
    released = released or {}
    for credit in credits_of(conversion):
        primary = credit.code == conversion.code
        adds = {
            **rules.conversion_counters(conversion, credit, 1),
            **released.get(credit.code, {}),
        }
        writes.append({"Update": counter_adds(table, conversion.program, credit.code, month, adds)})
        writes.append(
            referrer_check(table, conversion, credit.code, guard, identity if primary else None)
        )
        labels += [("counter", credit.code), ("referrer", credit.code)]
    more, more_labels = effect_writes(table, effects or ConversionEffects(), conversion.program)
    trust = _trust_writes(table, conversion)
    writes += more + trust + extra[0]
    labels += more_labels + [("queue", "")] * len(trust) + extra[1]
    reasons = table.transact(writes)
    if failed(reasons[0]):
        order = keys.order_pk(conversion.program, conversion.event, conversion.order_id)
        first = table.get(keys.key(order, keys.META), consistent=True)
        if first is None:  # pragma: no cover - the item that blocked us cannot vanish
            raise UnavailableError("The conversion could not be read back; try again.")
        return conversion_from_item(first), False
    refused = rejection(labels, reasons, conversion.program, conversion.code)
    if refused is None:
        return conversion, True
    if effects is None:
        raise UnknownCodeError(
            f"Referral code '{conversion.code}' does not exist in program '{conversion.program}'."
        )
    raise EffectsRejectedError(refused)


def counter_update(table: Table, conversion: Conversion, credit: Credit, sign: int) -> WriteUpdate:
    """ADD to a credited code's conversion counters for the conversion's day (`sign` -1 undoes
    it on a refund)."""
    month, _ = rules.month_and_day(conversion.created_at)
    adds = rules.conversion_counters(conversion, credit, sign)
    return counter_adds(table, conversion.program, credit.code, month, adds)


def counter_adds(
    table: Table, program: str, code: str, month: str, adds: dict[str, Decimal]
) -> WriteUpdate:
    """ADD each of `adds` to a code's conversion counter item of `month`."""
    values: Item = {f":v{i}": n(value) for i, value in enumerate(adds.values())}
    values[":program"] = s(program)
    return {
        "TableName": table.name,
        "Key": keys.key(keys.code_pk(code), keys.conversions_sk(month)),
        "UpdateExpression": "SET program = :program ADD "
        + ", ".join(f"#a{i} :v{i}" for i in range(len(adds))),
        "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(adds)},
        "ExpressionAttributeValues": values,
    }


STILL_IN_REVIEW = Condition("#st = :review", {"#st": "status"}, {":review": s(REVIEW)})


def queue_move(table: Table, decided: Conversion) -> list[Write]:
    """Take a conversion out of the review list and file it under its decision."""
    listed = keys.review_sk(REVIEW, decided.created_at, decided.event, decided.order_id)
    return [
        {
            "Delete": {
                "TableName": table.name,
                "Key": keys.key(keys.review_pk(decided.program), listed),
            }
        },
        table.put(queue_item(decided)),
    ]


def _trust_writes(table: Table, conversion: Conversion) -> list[Write]:
    """Written with a new conversion: its review-queue entry when it is flagged, and its
    line in the customer's person index when it names a customer email."""
    writes: list[Write] = []
    if conversion.status == REVIEW:
        writes.append(table.put(queue_item(conversion)))
    if conversion.identity:
        writes.append(table.put(person_line(conversion)))
    return writes


def person_line(conversion: Conversion) -> Item:
    """The conversion's line in its customer's person index (found by their email)."""
    return {
        **keys.key(
            keys.person_pk(conversion.program, conversion.identity),
            keys.person_sk(conversion.event, conversion.order_id),
        ),
        "event": s(conversion.event),
        "order_id": s(conversion.order_id),
    }


def referrer_check(
    table: Table,
    conversion: Conversion,
    code: str,
    guard: CountGuard | None,
    identity: IdentityGuard | None = None,
) -> Write:
    """A credited code must belong to the conversion's program; a successful referral also
    adds one to the primary referrer's count (the leaderboard's GSI2 sort key and the basis
    of tiers) in the same transaction, under the tier guard when there is one. With an
    identity guard, the primary referrer must not be the converting customer (self-referral):
    that costs no request, only a condition, and a failure returns the referrer's item."""
    key = keys.key(keys.code_pk(code), keys.META)
    values: Item = {":program": s(conversion.program)}
    condition = "program = :program"
    names: dict[str, str] = {}
    if identity is not None:
        for name, value in (("identity", identity.identity), ("visitor", identity.visitor)):
            if value:
                condition += f" AND (attribute_not_exists(#{name}) OR #{name} <> :{name})"
                values[f":{name}"] = s(value)
                names[f"#{name}"] = name
    if not rules.adds_a_referral(conversion) or code != conversion.code:
        check: Check = {
            "TableName": table.name,
            "Key": key,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }
        if identity is not None:
            check["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        if names:
            check["ExpressionAttributeNames"] = names
        return {"ConditionCheck": check}
    if guard is not None:
        guard_condition, guard_values = _count_guard(guard)
        condition += f" AND {guard_condition}"
        values.update(guard_values)
    update: WriteUpdate = {
        "TableName": table.name,
        "Key": key,
        "UpdateExpression": f"ADD {keys.SUCCESS_COUNT} :one",
        "ConditionExpression": condition,
        "ExpressionAttributeValues": {**values, ":one": n(1)},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if names:
        update["ExpressionAttributeNames"] = names
    return {"Update": update}


def _count_guard(guard: CountGuard) -> tuple[str, Item]:
    """A referrer created before the count existed has no attribute: that means 0."""
    count = keys.SUCCESS_COUNT
    if guard.expected is not None:
        values = {":expected": n(guard.expected)}
        if guard.expected == 0:
            return f"(attribute_not_exists({count}) OR {count} = :expected)", values
        return f"{count} = :expected", values
    if not guard.avoid:
        return "attribute_exists(program)", {}
    names = [f":avoid{i}" for i in range(len(guard.avoid))]
    condition = f"NOT ({count} IN ({', '.join(names)}))"
    if 0 in guard.avoid:
        condition = f"(attribute_exists({count}) AND {condition})"
    return condition, {name: n(value) for name, value in zip(names, guard.avoid, strict=True)}
