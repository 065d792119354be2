"""Reads DynamoDB stream records (NEW_AND_OLD_IMAGES, in the shape Lambda delivers them) as
the changes program analytics add up: referrers joining, click counters moving, conversions
recorded or refunded, rewards issued or moved. Every other item's records are skipped.

The same records come from the Lambda event source in production and from `referbee dev`'s
poller of the embedded database's stream.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..model.analytics import (
    Change,
    ChangeBatch,
    ChangeRecord,
    ConversionChange,
    CounterChange,
    ReferrerJoined,
    RewardUpdate,
)
from . import keys
from .dynamo_ledger import reward_from_item
from .items import conversion_from_item, referrer_from_item

logger = logging.getLogger(__name__)

Record = Mapping[str, Any]


def change_batch(records: Sequence[Record]) -> ChangeBatch | None:
    """The changes in a batch of stream records; None for an empty batch."""
    if not records:
        return None
    changes = []
    for record in records:
        change = _change(record)
        if change is not None:
            changes.append(ChangeRecord(str(record["dynamodb"]["SequenceNumber"]), change))
    return ChangeBatch(str(records[0]["eventID"]), tuple(changes))


def _change(record: Record) -> Change | None:
    data = record.get("dynamodb") or {}
    key = data.get("Keys") or {}
    pk = str(key.get("PK", {}).get("S", ""))
    sk = str(key.get("SK", {}).get("S", ""))
    old, new = data.get("OldImage"), data.get("NewImage")
    if new is None:
        return None  # nothing referbee counts is ever deleted
    try:
        if pk.startswith("ORDER#") and "order_id" in new:
            return ConversionChange(_conversion(old), conversion_from_item(new))
        if not pk.startswith("CODE#"):
            return None
        if sk == keys.META and old is None and "program" in new:
            return ReferrerJoined(referrer_from_item(new))
        if sk.startswith("CLICKS#") and "program" in new:
            return CounterChange(
                program=new["program"]["S"],
                code=pk.removeprefix("CODE#"),
                month=sk.split("#")[1],
                old=_numbers(old),
                new=_numbers(new),
            )
        if sk.startswith("REWARD#") and "data" in new:
            before = reward_from_item(old) if old and "data" in old else None
            return RewardUpdate(before, reward_from_item(new))
    except (KeyError, ValueError, TypeError, ArithmeticError):
        # A record referbee cannot read must not hold the stream up: it is logged and skipped.
        logger.exception("stream record skipped: %s %s", pk[:60], sk[:60])
    return None


def _conversion(image: Mapping[str, Any] | None) -> Any:
    return conversion_from_item(dict(image)) if image and "order_id" in image else None


def _numbers(image: Mapping[str, Any] | None) -> dict[str, Decimal]:
    return {name: Decimal(value["N"]) for name, value in (image or {}).items() if "N" in value}
