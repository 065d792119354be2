"""The click path in DynamoDB: one visit item per visitor and code, written once per click. The
write keeps the click as a touchpoint, tells whether it is unique (from the old clicks it
returns) and carries the click's program, channel and landing page to the table's stream,
from which the rollups count it (store/stream.py, domain/analytics/rollups.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from botocore.exceptions import ClientError

from ...model.errors import UnavailableError
from ...model.ledger import Touch
from .. import keys, rules
from ..attrs import (
    CONDITION_FAILED,
    Item,
    Update,
    error_code,
    n,
    s,
    text,
    unavailable_on_failure,
)
from ..items import VISIT_WINDOW, visit_state
from .shared import Table, old_item

_VISIT_ATTEMPTS = 3


class DynamoClicks:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def claim_visit(
        self,
        visitor: str,
        code: str,
        now: float,
        window: int,
        *,
        keep: int = 0,
        program: str | None = None,
        channel: str = "direct",
        page: str | None = None,
    ) -> bool:
        """One write both records the touchpoint and tells whether the click is unique: the
        old clicks come back (ALL_OLD) and uniqueness is recomputed from them (see
        rules.unique_anchor); the stream recomputes it from the same old image. A visitor's
        17th click on a code within `keep` seconds costs one more write, which compacts the
        list."""
        key = keys.key(keys.visit_pk(visitor), keys.visit_sk(code))
        facts = _click_facts(program, channel, page, window)
        facts.values[":expires"] = n(int(now) + rules.visit_lifetime(window, keep))
        for _ in range(_VISIT_ATTEMPTS):
            try:
                response = self._table.click_client.update_item(
                    **facts.request(self._table.name, key, now)
                )
            except ClientError as exc:
                if error_code(exc) != CONDITION_FAILED:
                    raise
                unique = self._compact_visit(key, old_item(exc), now, window, keep, facts)
                if unique is not None:
                    return unique
                continue
            anchor, touches = visit_state(response.get("Attributes", {}))
            return rules.is_unique(anchor, touches, now, window)
        raise UnavailableError("The click could not be recorded; try again.")

    @unavailable_on_failure
    def touchpoints(self, visitor: str) -> list[Touch]:
        items = self._table.query("PK = :pk", {":pk": s(keys.visit_pk(visitor))}, consistent=True)
        return [
            Touch(keys.visited_code(text(item, "SK")), at)
            for item in items
            for at in visit_state(item)[1]
        ]

    def _compact_visit(
        self, key: Item, old: Item, now: float, window: int, keep: int, facts: _ClickFacts
    ) -> bool | None:
        """Write the visit's touchpoints compacted, and this click; None when another click
        got in first (start over)."""
        anchor, touches = visit_state(old)
        unique = rules.is_unique(anchor, touches, now, window)
        lifetime = rules.visit_lifetime(window, keep)
        new_anchor, kept = rules.compact_touches(anchor, touches, now, window, lifetime)
        values: Item = {
            **facts.values,
            ":touches": {"L": [n(int(t)) for t in [*kept, int(now)]]},
            ":size": n(len(touches)),
        }
        update = f"SET touches = :touches, expires_at = :expires{facts.sets}"
        if new_anchor is not None:
            values[":anchor"] = n(int(new_anchor))
            update += ", anchor = :anchor"
        done = self._table.update(
            key,
            update + facts.removes,
            values,
            names=facts.names or None,
            condition="size(touches) = :size",
            clicks=True,
        )
        return unique if done is not None else None


@dataclass
class _ClickFacts:
    """What the stream needs to count the click, set on the visit item by the same write."""

    sets: str = ""
    removes: str = ""
    values: Item = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def request(self, table: str, key: Item, now: float) -> Update:
        """The click's write: its touchpoint appended, unless the list is full."""
        update: Update = {
            "TableName": table,
            "Key": key,
            "UpdateExpression": (
                "SET touches = list_append(if_not_exists(touches, :none), :now), "
                f"expires_at = :expires{self.sets}{self.removes}"
            ),
            "ConditionExpression": "attribute_not_exists(touches) OR size(touches) < :cap",
            "ExpressionAttributeValues": {
                **self.values,
                ":none": {"L": []},
                ":now": {"L": [n(int(now))]},
                ":cap": n(rules.TOUCH_CAP),
            },
            "ReturnValues": "ALL_OLD",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if self.names:
            update["ExpressionAttributeNames"] = self.names
        return update


def _click_facts(program: str | None, channel: str, page: str | None, window: int) -> _ClickFacts:
    """The click's program, channel, unique window and named page (removed when this click
    named none, so the item never tells an earlier click's page as this one's)."""
    if program is None:  # a touchpoint only: the stream must not count it as a click
        return _ClickFacts(removes=" REMOVE #program", names={"#program": "program"})
    facts = _ClickFacts(
        sets=", #program = :program, #channel = :channel, #window = :window",
        removes=" REMOVE #page",
        values={":program": s(program), ":channel": s(channel), ":window": n(window)},
        names={
            "#program": "program",
            "#channel": "channel",
            "#window": VISIT_WINDOW,
            "#page": "page",
        },
    )
    if page:
        facts.values[":page"] = s(page)
        facts.sets += ", #page = :page"
        facts.removes = ""
    return facts
