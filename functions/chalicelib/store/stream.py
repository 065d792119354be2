"""Reads DynamoDB stream records (NEW_AND_OLD_IMAGES, in the shape Lambda delivers them) as
the changes program analytics add up: referrers joining, clicks made (a visit written),
conversions recorded or refunded, rewards issued or moved. Every other item's records are skipped.

The same records come from the Lambda event source in production and from `referbee dev`'s
poller of the embedded database's stream.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import cast

from ..model.analytics import (
    Change,
    ChangeBatch,
    ChangeRecord,
    ClickMade,
    ConversionChange,
    CounterChange,
    ReferrerJoined,
    RewardUpdate,
)
from ..model.records import CLICKS, Conversion
from . import keys, rules
from .attrs import Item, numbers, text
from .items import (
    VISIT_WINDOW,
    conversion_from_item,
    referrer_from_item,
    reward_from_item,
    visit_state,
)

logger = logging.getLogger(__name__)

Record = Mapping[str, object]  # one stream record, as the event source delivers it


def change_batch(records: Sequence[Record]) -> ChangeBatch | None:
    """The changes in a batch of stream records; None for an empty batch."""
    if not records:
        return None
    changes = []
    for record in records:
        change = _change(record)
        if change is not None:
            sequence = _section(record, "dynamodb")["SequenceNumber"]
            changes.append(ChangeRecord(str(sequence), change))
    return ChangeBatch(str(records[0]["eventID"]), tuple(changes))


def _change(record: Record) -> Change | None:
    data = _section(record, "dynamodb")
    key = _image(data.get("Keys")) or {}
    pk, sk = text(key, "PK"), text(key, "SK")
    old, new = _image(data.get("OldImage")), _image(data.get("NewImage"))
    if new is None:
        return None  # nothing referbee counts is ever deleted
    try:
        if keys.is_visit(pk):
            return _click(old, new, keys.visited_code(sk))
        if keys.is_order(pk) and "order_id" in new:
            return ConversionChange(_conversion(old), conversion_from_item(new))
        code = keys.code_of(pk)
        if code is None:
            return None
        counter = keys.counter_of(sk)
        if sk == keys.META and old is None and "program" in new:
            return ReferrerJoined(referrer_from_item(new))
        if (
            counter is not None
            and counter[0] == CLICKS
            and "program" in new
            and sk != keys.clicks_sk(counter[1])
        ):
            # Counters written by the click path itself, before clicks were counted from
            # their visit writes: the rollups' own counters are not counted twice.
            return CounterChange(
                program=new["program"]["S"],
                code=code,
                month=counter[1],
                old=numbers(old or {}),
                new=numbers(new),
            )
        if keys.is_reward(sk) and "data" in new:
            before = reward_from_item(old) if old and "data" in old else None
            return RewardUpdate(before, reward_from_item(new))
    except (KeyError, ValueError, TypeError, ArithmeticError):
        # A record referbee cannot read must not hold the stream up: it is logged and skipped.
        logger.exception("stream record skipped: %s %s", pk[:60], sk[:60])
    return None


def _click(old: Item | None, new: Item, code: str) -> ClickMade | None:
    """A visit write is one click: the newest touchpoint, unique as the write's old image
    says (the click path decided the same from the same image). A visit written without
    its program was not one to count."""
    if "program" not in new:
        return None
    touches = visit_state(new)[1]
    anchor, before = visit_state(old or {})
    if not touches or touches == before:
        return None  # the write added no touchpoint: not a click (moto repeats some images)
    at = touches[-1]
    window = int(new[VISIT_WINDOW]["N"])
    return ClickMade(
        program=text(new, "program"),
        code=code,
        at=at,
        unique=rules.is_unique(anchor, before, at, window),
        channel=text(new, "channel") or "direct",
        page=text(new, "page") or None,
    )


def _conversion(image: Item | None) -> Conversion | None:
    return conversion_from_item(image) if image and "order_id" in image else None


def _section(record: Record, name: str) -> Mapping[str, object]:
    value = record.get(name)
    return value if isinstance(value, Mapping) else {}


def _image(value: object) -> Item | None:
    """A stream record's keys or image: in the client's attribute format, as the table's."""
    return cast("Item", value) if isinstance(value, Mapping) else None
