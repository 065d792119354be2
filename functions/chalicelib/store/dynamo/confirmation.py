"""Confirming a browser's claim in DynamoDB: one transaction replaces the claim with its trusted
report (on condition that it is still unconfirmed), moves each code's counters by the
difference (one update per counter item: a transaction may touch an item once), moves the
referral when its referrer changes, keeps the review queue in step, and writes the effects
and reward moves. Used by conversions (store/dynamo/conversions.py)."""

from __future__ import annotations

from dataclasses import replace

from ...model.errors import UnavailableError
from ...model.ledger import ConversionEffects, EffectsRejectedError, RewardChange
from ...model.records import RECORDED, REVIEW, Conversion, credits_of
from .. import keys, rules
from ..attrs import Item, Write, WriteUpdate, b, n, s
from ..items import conversion_from_item, conversion_item, queue_item
from .effects import Label, change_writes, effect_writes, rejection
from .recording import counter_adds, person_line, queue_move, referrer_check
from .shared import Condition, Table, failed


def write_confirmation(
    table: Table,
    claim: Conversion,
    confirmed: Conversion,
    effects: ConversionEffects,
    changes: list[RewardChange],
) -> tuple[Conversion, bool]:
    still = Condition(
        "unverified = :yes AND #st = :status",
        {"#st": "status"},
        {":yes": b(True), ":status": s(claim.status)},
    )
    writes: list[Write] = [table.put(conversion_item(confirmed), still)]
    labels: list[Label] = [("conversion", "")]
    for update in _counter_moves(table, claim, confirmed):
        writes.append({"Update": update})
        labels.append(("counter", ""))
    more, more_labels = _referrer_moves(table, claim, confirmed, effects)
    writes += more
    labels += more_labels
    for group in (
        effect_writes(table, effects, confirmed.program),
        change_writes(table, changes),
        _queue_moves(table, claim, confirmed),
    ):
        writes += group[0]
        labels += group[1]
    reasons = table.transact(writes)
    if failed(reasons[0]):
        order = keys.order_pk(claim.program, claim.event, claim.order_id)
        stored = table.get(keys.key(order, keys.META), consistent=True)
        if stored is None:  # pragma: no cover - conversions are never deleted
            raise UnavailableError("The conversion could not be read back; try again.")
        return conversion_from_item(stored), False
    refused = rejection(labels, reasons, confirmed.program, confirmed.code)
    if refused is not None:
        raise EffectsRejectedError(refused)
    return confirmed, True


def _counter_moves(table: Table, claim: Conversion, confirmed: Conversion) -> list[WriteUpdate]:
    """Per code, the confirmed conversion's counters less the claim's (both are on the
    claim's day, so on the same counter item)."""
    month, _ = rules.month_and_day(claim.created_at)
    net = rules.counter_difference(claim, confirmed)
    return [counter_adds(table, claim.program, code, month, adds) for code, adds in net.items()]


def _referrer_moves(
    table: Table, claim: Conversion, confirmed: Conversion, effects: ConversionEffects
) -> tuple[list[Write], list[Label]]:
    """Every credited code of the confirmed conversion is checked as a new conversion's are,
    and adds its referral unless the claim already counted it; the claim's referrer, when it
    is not the confirmed one and had the referral counted, gives it back."""
    writes: list[Write] = []
    labels: list[Label] = []
    kept = (
        rules.adds_a_referral(claim)
        and rules.adds_a_referral(confirmed)
        and claim.code == confirmed.code
    )
    given_back = rules.adds_a_referral(claim) and not kept
    for credit in credits_of(confirmed):
        if given_back and credit.code == claim.code:
            writes.append({"Update": _give_back(table, claim, checked=True)})
        else:
            primary = credit.code == confirmed.code
            as_checked = replace(confirmed, successful=False) if kept else confirmed
            identity = effects.identity_guard if primary else None
            guard = effects.count_guard if primary else None
            writes.append(referrer_check(table, as_checked, credit.code, guard, identity))
        labels.append(("referrer", credit.code))
    if given_back and claim.code not in {c.code for c in credits_of(confirmed)}:
        writes.append({"Update": _give_back(table, claim, checked=False)})
        labels.append(("counter", ""))
    return writes, labels


def _give_back(table: Table, claim: Conversion, *, checked: bool) -> WriteUpdate:
    """The claim's referrer loses the referral it was counted (still checked to belong to
    the program when it stays credited)."""
    values: Item = {":minus": n(-1)}
    update: WriteUpdate = {
        "TableName": table.name,
        "Key": keys.key(keys.code_pk(claim.code), keys.META),
        "UpdateExpression": f"ADD {keys.SUCCESS_COUNT} :minus",
        "ExpressionAttributeValues": values,
    }
    if checked:
        update["ConditionExpression"] = "program = :program"
        values[":program"] = s(claim.program)
    return update


def _queue_moves(
    table: Table, claim: Conversion, confirmed: Conversion
) -> tuple[list[Write], list[Label]]:
    """The review queue follows the status; the person index gets the trusted report's
    customer email when the claim had none."""
    writes: list[Write] = []
    if claim.status == REVIEW and confirmed.status == RECORDED:
        writes += queue_move(table, confirmed)
    elif confirmed.status == REVIEW:
        writes.append(table.put(queue_item(confirmed)))
    if confirmed.identity and confirmed.identity != claim.identity:
        writes.append(table.put(person_line(confirmed)))
    return writes, [("queue", "")] * len(writes)
