"""The click path in DynamoDB: one visit item per visitor and code (its touchpoints, written by
the same request that decides uniqueness) and the code's click counters of the month."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ...model.errors import UnavailableError
from ...model.ledger import Touch
from ...model.records import ClickCounted
from .. import keys, rules
from ..attrs import (
    CONDITION_FAILED,
    Item,
    error_code,
    integer,
    n,
    s,
    text,
    unavailable_on_failure,
)
from .shared import Table, old_item

_VISIT_ATTEMPTS = 3


class DynamoClicks:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def claim_visit(
        self, visitor: str, code: str, now: float, window: int, *, keep: int = 0
    ) -> bool:
        """One write both records the touchpoint and tells whether the click is unique: the
        old clicks come back (ALL_OLD) and uniqueness is recomputed from them (see
        rules.unique_anchor). A visitor's 17th click on a code within `keep` seconds costs
        one more write, which compacts the list."""
        key = keys.key(keys.visit_pk(visitor), keys.visit_sk(code))
        expires = n(int(now) + rules.visit_lifetime(window, keep))
        for _ in range(_VISIT_ATTEMPTS):
            try:
                response = self._table.click_client.update_item(
                    TableName=self._table.name,
                    Key=key,
                    UpdateExpression=(
                        "SET touches = list_append(if_not_exists(touches, :none), :now), "
                        "expires_at = :expires"
                    ),
                    ConditionExpression="attribute_not_exists(touches) OR size(touches) < :cap",
                    ExpressionAttributeValues={
                        ":none": {"L": []},
                        ":now": {"L": [n(int(now))]},
                        ":expires": expires,
                        ":cap": n(rules.TOUCH_CAP),
                    },
                    ReturnValues="ALL_OLD",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as exc:
                if error_code(exc) != CONDITION_FAILED:
                    raise
                unique = self._compact_visit(key, old_item(exc), now, window, keep)
                if unique is not None:
                    return unique
                continue
            anchor, touches = _visit_state(response.get("Attributes", {}))
            return rules.is_unique(anchor, touches, now, window)
        raise UnavailableError("The click could not be recorded; try again.")

    @unavailable_on_failure
    def touchpoints(self, visitor: str) -> list[Touch]:
        items = self._table.query("PK = :pk", {":pk": s(keys.visit_pk(visitor))}, consistent=True)
        return [
            Touch(keys.visited_code(text(item, "SK")), at)
            for item in items
            for at in _visit_state(item)[1]
        ]

    @unavailable_on_failure
    def count_click(
        self,
        code: str,
        at: float,
        *,
        unique: bool,
        channel: str | None,
        page: str | None = None,
        shard: int = 0,
    ) -> ClickCounted | None:
        month, names = rules.click_counters(at, unique=unique, channel=channel, page=page)
        key = keys.key(keys.code_pk(code), keys.clicks_sk(month, shard))
        adds = "ADD " + ", ".join(f"#a{i} :one" for i in range(len(names)))
        counters = {f"#a{i}": name for i, name in enumerate(names)}
        values: Item = {":one": n(1)}
        # The common path: this month's counter item exists and knows its program.
        counted = self._table.update(
            key,
            adds,
            values,
            names=counters,
            condition="attribute_exists(program)",
            returns="ALL_NEW",
            clicks=True,
        )
        if counted is None:
            # First click of the month on this item (or an unknown code): look it up once.
            meta = self._table.get(keys.key(keys.code_pk(code), keys.META), clicks=True)
            if meta is None:
                return None
            values[":program"] = meta["program"]
            expression = f"SET program = :program {adds}"
            counted = self._table.update(
                key, expression, values, names=counters, returns="ALL_NEW", clicks=True
            )
        counted = counted or {}
        return ClickCounted(program=text(counted, "program"), day_clicks=integer(counted, names[0]))

    def _compact_visit(
        self, key: Item, old: Item, now: float, window: int, keep: int
    ) -> bool | None:
        """Write the visit's touchpoints compacted, and this click; None when another click
        got in first (start over)."""
        anchor, touches = _visit_state(old)
        unique = rules.is_unique(anchor, touches, now, window)
        lifetime = rules.visit_lifetime(window, keep)
        new_anchor, kept = rules.compact_touches(anchor, touches, now, window, lifetime)
        values: Item = {
            ":touches": {"L": [n(int(t)) for t in [*kept, int(now)]]},
            ":expires": n(int(now) + lifetime),
            ":size": n(len(touches)),
        }
        update = "SET touches = :touches, expires_at = :expires"
        if new_anchor is not None:
            values[":anchor"] = n(int(new_anchor))
            update += ", anchor = :anchor"
        done = self._table.update(
            key, update, values, condition="size(touches) = :size", clicks=True
        )
        return unique if done is not None else None


def _visit_state(item: Item) -> tuple[float | None, list[float]]:
    """(anchor, touches) of a visit item; items from before touchpoints were kept have only
    `seen_at`, the last unique click, which is the anchor."""
    touches = [float(value["N"]) for value in item.get("touches", {}).get("L", [])]
    raw = (item.get("anchor") or item.get("seen_at") or {}).get("N")
    return (float(raw) if raw is not None else None), touches
