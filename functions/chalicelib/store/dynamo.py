"""The DynamoDB store: every access pattern is one request in the common case.

Uses the low-level client (not the resource layer): less import time on a cold start and
less per-request work on the hot paths.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any, Self, TypeVar

from botocore.exceptions import ClientError

from ..model.clock import iso
from ..model.errors import (
    CodeTakenError,
    ReferrerExistsError,
    UnavailableError,
    UnknownCodeError,
)
from ..model.ledger import (
    TOUCH_CAP,
    ConversionEffects,
    CountGuard,
    Credit,
    EffectsRejectedError,
    IdentityGuard,
    OutboxMessage,
    RewardChange,
    RewardRecord,
    compact_touches,
    is_unique,
    rewards_to_text,
)
from ..model.records import (
    CLICKS,
    CONVERSIONS,
    FLAGGED,
    RECORDED,
    REVIEW,
    AdminKey,
    BoardEntry,
    ClickCounted,
    Conversion,
    CounterMonth,
    Referrer,
    channel_name,
    counter_name,
    credits_of,
    page_name,
)
from . import keys
from .attrs import day_of, unavailable_on_failure
from .dynamo_analytics import DynamoAnalytics
from .dynamo_keys import admin_key_from_item, admin_key_item
from .dynamo_ledger import DynamoLedger, reward_from_item
from .dynamo_outbox import DynamoOutbox, put_message
from .dynamo_trust import DynamoTrust
from .items import conversion_from_item, conversion_item
from .items import referrer_from_item as _referrer_from_item
from .items import referrer_item as _referrer_item
from .table import GSI2

T = TypeVar("T")
Item = dict[str, Any]

_TRANSACTION_ATTEMPTS = 6


class DynamoStore(DynamoLedger, DynamoOutbox, DynamoTrust, DynamoAnalytics):
    """`client` serves everything; `click_client` (default: the same) serves the click path
    and should not retry: a click that is not counted costs less than a visitor kept waiting
    through a backoff, and the redirect happens either way."""

    def __init__(self, client: Any, table: str, click_client: Any | None = None) -> None:
        self._client = client
        self._click_client = click_client or client
        self._table = table

    @property
    def referrers(self) -> Self:
        return self

    @property
    def clicks(self) -> Self:
        return self

    @property
    def conversions(self) -> Self:
        return self

    @property
    def reviews(self) -> Self:
        return self

    @property
    def rewards(self) -> Self:
        return self

    @property
    def coupons(self) -> Self:
        return self

    @property
    def outbox(self) -> Self:
        return self

    @property
    def admin_keys(self) -> Self:
        return self

    @property
    def limits(self) -> Self:
        return self

    @property
    def privacy(self) -> Self:
        return self

    @property
    def rollups(self) -> Self:
        return self

    @property
    def clients(self) -> tuple[Any, ...]:
        return (
            (self._client,)
            if self._click_client is self._client
            else (self._client, self._click_client)
        )

    @unavailable_on_failure
    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        item = self._get(keys.email_pk(program, email_key), keys.META, consistent=consistent)
        return _referrer_from_item(item) if item else None

    @unavailable_on_failure
    def create_referrer(self, referrer: Referrer) -> None:
        meta = _referrer_item(referrer)
        meta.update(
            PK=_s(keys.code_pk(referrer.code)),
            SK=_s(keys.META),
            GSI1PK=_s(keys.program_referrers_gsi(referrer.program)),
            GSI1SK=_s(f"{iso(referrer.created_at)}#{referrer.code}"),
            GSI2PK=_s(keys.program_board_gsi(referrer.program)),
            successful_referrals=_n(referrer.successful_referrals),
        )
        by_email = _referrer_item(referrer)
        by_email.update(
            PK=_s(keys.email_pk(referrer.program, referrer.email_key)), SK=_s(keys.META)
        )
        reasons = self._transact(
            [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": by_email,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": meta,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
        if reasons[0] == "ConditionalCheckFailed":
            raise ReferrerExistsError("a referrer with this email already exists")
        if reasons[1] == "ConditionalCheckFailed":
            raise CodeTakenError("code already taken")

    @unavailable_on_failure
    def get_referrer(self, code: str) -> Referrer | None:
        item = self._get(keys.code_pk(code), keys.META, client=self._click_client)
        return _referrer_from_item(item) if item else None

    @unavailable_on_failure
    def claim_visit(
        self, visitor: str, code: str, now: float, window: int, *, keep: int = 0
    ) -> bool:
        """One write both records the touchpoint and tells whether the click is unique: the
        old clicks come back (ALL_OLD) and uniqueness is recomputed from them (see
        ledger.unique_anchor). A visitor's 17th click on a code within `keep` seconds costs
        one more write, which compacts the list."""
        key = {"PK": _s(keys.visit_pk(visitor)), "SK": _s(keys.visit_sk(code))}
        expires = _n(int(now) + max(window, keep))
        for _ in range(3):
            try:
                response = self._click_client.update_item(
                    TableName=self._table,
                    Key=key,
                    UpdateExpression=(
                        "SET touches = list_append(if_not_exists(touches, :none), :now), "
                        "expires_at = :expires"
                    ),
                    ConditionExpression="attribute_not_exists(touches) OR size(touches) < :cap",
                    ExpressionAttributeValues={
                        ":none": {"L": []},
                        ":now": {"L": [_n(int(now))]},
                        ":expires": expires,
                        ":cap": _n(TOUCH_CAP),
                    },
                    ReturnValues="ALL_OLD",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as exc:
                if _error_code(exc) != "ConditionalCheckFailedException":
                    raise
                old: Item = dict(exc.response.get("Item") or {})  # type: ignore[call-overload]
                unique = self._compact_visit(key, old, now, window, keep)
                if unique is not None:
                    return unique
                continue
            anchor, touches = _visit_state(response.get("Attributes") or {})
            return is_unique(anchor, touches, now, window)
        raise UnavailableError("The click could not be recorded; try again.")

    def _compact_visit(
        self, key: Item, old: Item, now: float, window: int, keep: int
    ) -> bool | None:
        anchor, touches = _visit_state(old)
        unique = is_unique(anchor, touches, now, window)
        new_anchor, kept = compact_touches(anchor, touches, now, window, max(window, keep))
        values: Item = {
            ":touches": {"L": [_n(int(t)) for t in [*kept, int(now)]]},
            ":expires": _n(int(now) + max(window, keep)),
            ":size": _n(len(touches)),
        }
        update = "SET touches = :touches, expires_at = :expires"
        if new_anchor is not None:
            values[":anchor"] = _n(int(new_anchor))
            update += ", anchor = :anchor"
        try:
            self._click_client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression=update,
                ConditionExpression="size(touches) = :size",
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                return None  # another click got in first: start over
            raise
        return unique

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
        stamp = time.strftime("%Y-%m-%d", time.gmtime(at))
        month, day = stamp[:7], stamp[8:]
        names = [counter_name("c", day)]
        if unique:
            names.append(counter_name("u", day))
        if channel:
            names.append(channel_name(channel))
        if page:
            names.append(page_name(page))
        adds = ", ".join(f"#a{i} :one" for i in range(len(names)))
        request: Item = {
            "TableName": self._table,
            "Key": {"PK": _s(keys.code_pk(code)), "SK": _s(keys.clicks_sk(month, shard))},
            "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(names)},
            "ExpressionAttributeValues": {":one": _n(1)},
            "ReturnValues": "ALL_NEW",
        }
        try:
            # The common path: this month's counter item exists and knows its program.
            response = self._click_client.update_item(
                **request,
                UpdateExpression=f"ADD {adds}",
                ConditionExpression="attribute_exists(program)",
            )
        except ClientError as exc:
            if _error_code(exc) != "ConditionalCheckFailedException":
                raise
            # First click of the month on this item (or an unknown code): look it up once.
            meta = self._get(keys.code_pk(code), keys.META, client=self._click_client)
            if meta is None:
                return None
            request["ExpressionAttributeValues"][":program"] = meta["program"]
            response = self._click_client.update_item(
                **request, UpdateExpression=f"SET program = :program ADD {adds}"
            )
        attributes = response["Attributes"]
        return ClickCounted(
            program=str(attributes["program"]["S"]),
            day_clicks=int(attributes[names[0]]["N"]),
        )

    @unavailable_on_failure
    def record_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None = None
    ) -> tuple[Conversion, bool]:
        return self._write_conversion(
            conversion, effects, {"ConditionExpression": "attribute_not_exists(PK)"}
        )

    def _write_conversion(
        self,
        conversion: Conversion,
        effects: ConversionEffects | None,
        condition: Item,
        extra: tuple[list[Item], list[tuple[str, str]]] = ([], []),
    ) -> tuple[Conversion, bool]:
        """One transaction: the conversion item (under `condition`: new, or still in review),
        its counters, its referrers' checks, its effects and `extra` items. A failed first
        condition answers with the stored conversion and created=False."""
        order_key = {
            "PK": _s(keys.order_pk(conversion.program, conversion.event, conversion.order_id)),
            "SK": _s(keys.META),
        }
        items: list[Item] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": {**order_key, **conversion_item(conversion)},
                    **condition,
                }
            }
        ]
        labels = [("conversion", "")]
        guard = effects.count_guard if effects else None
        identity = effects.identity_guard if effects else None
        credits = credits_of(conversion)
        for credit in credits:
            items.append(self._conversion_counter(conversion, credit, 1))
            primary = credit.code == conversion.code
            items.append(
                _referrer_check(
                    self._table, conversion, credit.code, guard, identity if primary else None
                )
            )
            labels += [("counter", credit.code), ("referrer", credit.code)]
        more, more_labels = self._effect_items(effects or ConversionEffects(), conversion.program)
        more += self._trust_items(conversion) + extra[0]
        more_labels += [("queue", "")] * (len(more) - len(more_labels) - len(extra[1]))
        more_labels += extra[1]
        reasons = self._cancellation_reasons(items + more)
        if reasons[0].get("Code") == "ConditionalCheckFailed":
            first = self._get(order_key["PK"]["S"], keys.META, consistent=True)
            if first is None:  # pragma: no cover - the item that blocked us cannot vanish
                raise UnavailableError("The conversion could not be read back; try again.")
            return conversion_from_item(first), False
        rejection = self._rejection(
            labels + more_labels, reasons, conversion.program, conversion.code
        )
        if rejection is None:
            return conversion, True
        if effects is None:
            raise UnknownCodeError(
                f"Referral code '{conversion.code}' does not exist in program "
                f"'{conversion.program}'."
            )
        raise EffectsRejectedError(rejection)

    def _conversion_counter(self, conversion: Conversion, credit: Credit, sign: int) -> Item:
        """ADD to the code's conversion counters for the conversion's day (`sign` -1 undoes
        it on a refund)."""
        day = day_of(conversion.created_at)
        letter = "p" if conversion.event == "purchase" else "s"
        if conversion.status == REVIEW:
            letter = FLAGGED  # counted apart until a person approves it
        names = {"#n": counter_name(letter, day)}
        adds = "#n :one"
        values: Item = {":one": _n(sign), ":program": _s(conversion.program)}
        if credit.revenue > 0 and conversion.status != REVIEW:
            names["#r"] = counter_name("r", day, conversion.currency)
            values[":amount"] = _n(credit.revenue * sign)
            adds += ", #r :amount"
        return {
            "Update": {
                "TableName": self._table,
                "Key": {
                    "PK": _s(keys.code_pk(credit.code)),
                    "SK": _s(keys.conversions_sk(_month(conversion.created_at))),
                },
                "UpdateExpression": f"SET program = :program ADD {adds}",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    @unavailable_on_failure
    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        found = self._read_code_items(code)
        return (found[0], found[1]) if found else None

    def _read_code_items(self, code: str) -> tuple[Referrer, list[CounterMonth], list[Item]] | None:
        """The referrer, its counter months and its other items (rewards), in one query."""
        items: list[Item] = []
        request: Item = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": _s(keys.code_pk(code))},
        }
        while True:
            page = self._client.query(**request)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        referrer: Referrer | None = None
        months: list[CounterMonth] = []
        others: list[Item] = []
        for item in items:
            sk = item["SK"]["S"]
            if sk == keys.META:
                referrer = _referrer_from_item(item)
            elif sk.startswith(("CLICKS#", "CONV#")):
                kind = CLICKS if sk.startswith("CLICKS#") else CONVERSIONS
                months.append(CounterMonth(code, kind, sk.split("#")[1], _numbers(item)))
            else:
                others.append(item)
        return (referrer, months, others) if referrer else None

    @unavailable_on_failure
    def read_referrer_page(
        self, code: str
    ) -> tuple[Referrer, list[CounterMonth], list[RewardRecord]] | None:
        """What a stats view needs, in the same single query as read_code: the referrer, its
        counter months and its rewards."""
        found = self._read_code_items(code)
        if found is None:
            return None
        referrer, months, others = found
        rewards = [
            reward_from_item(item) for item in others if item["SK"]["S"].startswith("REWARD#")
        ]
        return referrer, months, rewards

    @unavailable_on_failure
    def get_conversion(self, program: str, event: str, order_id: str) -> Conversion | None:
        item = self._get(keys.order_pk(program, event, order_id), keys.META, consistent=True)
        return conversion_from_item(item) if item else None

    @unavailable_on_failure
    def refund_conversion(
        self,
        refunded: Conversion,
        changes: list[RewardChange],
        messages: tuple[OutboxMessage, ...] = (),
    ) -> bool:
        """Mark a conversion refunded, take it back out of its codes' counters (and the
        primary referrer's count), and move its rewards as `changes` say, in one transaction.
        False when it was already refunded; EffectsRejectedError when a reward had moved on."""
        key = {
            "PK": _s(keys.order_pk(refunded.program, refunded.event, refunded.order_id)),
            "SK": _s(keys.META),
        }
        items: list[Item] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key,
                    "UpdateExpression": (
                        "SET #st = :refunded, refunded_at = :at, rewards = :rewards"
                    ),
                    "ConditionExpression": (
                        "attribute_exists(PK) AND (attribute_not_exists(#st) OR #st = :recorded)"
                    ),
                    "ExpressionAttributeNames": {"#st": "status"},
                    "ExpressionAttributeValues": {
                        ":refunded": _s(refunded.status),
                        ":recorded": _s("recorded"),
                        ":at": _n(refunded.refunded_at),
                        ":rewards": _s(rewards_to_text(refunded.rewards)),
                    },
                }
            }
        ]
        for credit in credits_of(refunded):
            items.append(self._conversion_counter(refunded, credit, -1))
        if refunded.successful:
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": {"PK": _s(keys.code_pk(refunded.code)), "SK": _s(keys.META)},
                        "UpdateExpression": "ADD successful_referrals :minus",
                        "ExpressionAttributeValues": {":minus": _n(-1)},
                    }
                }
            )
        labels = [("conversion", "")] + [("counter", "")] * (len(items) - 1)
        change_items, change_labels = self._change_items(changes)
        items += change_items + [put_message(self._table, m) for m in messages]
        labels += change_labels + [("message", "")] * len(messages)
        reasons = self._cancellation_reasons(items)
        if reasons[0].get("Code") == "ConditionalCheckFailed":
            return False
        rejection = self._rejection(labels, reasons, refunded.program, "")
        if rejection is not None:
            raise EffectsRejectedError(rejection)
        return True

    @unavailable_on_failure
    def set_email_opt_out(self, code: str, opted_out: bool) -> bool:
        """Record a referrer's choice about reward emails; False for an unknown code."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"PK": _s(keys.code_pk(code)), "SK": _s(keys.META)},
                UpdateExpression="SET email_opt_out = :out",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":out": {"BOOL": opted_out}},
            )
        except ClientError as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    @unavailable_on_failure
    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        response = self._client.query(
            TableName=self._table,
            IndexName=GSI2,
            KeyConditionExpression="GSI2PK = :board AND successful_referrals > :none",
            ExpressionAttributeValues={
                ":board": _s(keys.program_board_gsi(program)),
                ":none": _n(0),
            },
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            BoardEntry(
                code=item["code"]["S"],
                name=item.get("name", {}).get("S", ""),
                successful_referrals=int(item["successful_referrals"]["N"]),
            )
            for item in response["Items"]
        ]

    @unavailable_on_failure
    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        # One page at most: `bound` index entries of ~100 bytes are far below the 1 MB page.
        response = self._client.query(
            TableName=self._table,
            IndexName=GSI2,
            KeyConditionExpression="GSI2PK = :board AND successful_referrals > :mine",
            ExpressionAttributeValues={
                ":board": _s(keys.program_board_gsi(program)),
                ":mine": _n(successful_referrals),
            },
            Select="COUNT",
            Limit=bound,
        )
        return min(int(response["Count"]), bound)

    @unavailable_on_failure
    def get_admin_key(self, key_hash: str) -> AdminKey | None:
        item = self._get(keys.key_pk(key_hash), keys.META)
        return admin_key_from_item(item) if item else None

    @unavailable_on_failure
    def put_admin_key(self, key: AdminKey) -> None:
        self._client.put_item(TableName=self._table, Item=admin_key_item(key))

    @unavailable_on_failure
    def delete_admin_key(self, key_hash: str) -> None:
        self._client.delete_item(
            TableName=self._table, Key={"PK": _s(keys.key_pk(key_hash)), "SK": _s(keys.META)}
        )

    def _get(
        self, pk: str, sk: str, *, consistent: bool = False, client: Any | None = None
    ) -> Item | None:
        response = (client or self._client).get_item(
            TableName=self._table,
            Key={"PK": _s(pk), "SK": _s(sk)},
            ConsistentRead=consistent,
        )
        item: Item | None = response.get("Item")
        return item

    def _transact(self, items: list[Item]) -> list[str]:
        """Run a transaction; return the cancellation reason codes (all 'None' on success)."""
        return [reason.get("Code", "None") for reason in self._cancellation_reasons(items)]

    def _cancellation_reasons(self, items: list[Item]) -> list[Item]:
        """Run a transaction; return its cancellation reasons, one per item ({"Code": "None"}
        for each on success; a failed condition may carry the item as it was).

        Concurrent transactions on the same item cancel each other with TransactionConflict;
        those are retried with jittered backoff so callers only see real condition failures.
        """
        for attempt in range(_TRANSACTION_ATTEMPTS):
            try:
                self._client.transact_write_items(TransactItems=items)
            except ClientError as exc:
                if _error_code(exc) != "TransactionCanceledException":
                    raise
                reasons: list[Item] = [
                    dict(reason) for reason in exc.response.get("CancellationReasons", [])
                ]
                codes = [r.get("Code", "None") for r in reasons]
                # A conflict makes the other reasons provisional (an item that failed its
                # condition may pass once the other transaction is done): try again, unless
                # the first item, the one that makes the write a repeat, already failed.
                if "TransactionConflict" in codes and codes[0] != "ConditionalCheckFailed":
                    if attempt + 1 < _TRANSACTION_ATTEMPTS:
                        time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
                        continue
                    raise
                return reasons + [{"Code": "None"}] * (len(items) - len(reasons))
            return [{"Code": "None"}] * len(items)
        raise AssertionError("unreachable")  # pragma: no cover


def _referrer_check(
    table: str,
    conversion: Conversion,
    code: str,
    guard: CountGuard | None,
    identity: IdentityGuard | None = None,
) -> Item:
    """A credited code must belong to the conversion's program; a successful referral also
    adds one to the primary referrer's count (the leaderboard's GSI2 sort key and the basis
    of tiers) in the same transaction, under the tier guard when there is one. With an
    identity guard, the primary referrer must not be the converting customer (self-referral):
    that costs no request, only a condition, and a failure returns the referrer's item."""
    key = {"PK": _s(keys.code_pk(code)), "SK": _s(keys.META)}
    values: Item = {":program": _s(conversion.program)}
    condition = "program = :program"
    names: Item = {}
    if identity is not None:
        for name, value in (("identity", identity.identity), ("visitor", identity.visitor)):
            if value:
                condition += f" AND (attribute_not_exists(#{name}) OR #{name} <> :{name})"
                values[f":{name}"] = _s(value)
                names[f"#{name}"] = name
    if not (conversion.successful and conversion.status == RECORDED) or code != conversion.code:
        check: Item = {
            "TableName": table,
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
    update: Item = {
        "TableName": table,
        "Key": key,
        "UpdateExpression": "ADD successful_referrals :one",
        "ConditionExpression": condition,
        "ExpressionAttributeValues": {**values, ":one": _n(1)},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if names:
        update["ExpressionAttributeNames"] = names
    return {"Update": update}


def _count_guard(guard: CountGuard) -> tuple[str, Item]:
    """A referrer created before the count existed has no attribute: that means 0."""
    if guard.expected is not None:
        values = {":expected": _n(guard.expected)}
        if guard.expected == 0:
            return (
                "(attribute_not_exists(successful_referrals) OR successful_referrals = :expected)",
                values,
            )
        return "successful_referrals = :expected", values
    if not guard.avoid:
        return "attribute_exists(program)", {}
    names = [f":avoid{i}" for i in range(len(guard.avoid))]
    condition = f"NOT (successful_referrals IN ({', '.join(names)}))"
    if 0 in guard.avoid:
        condition = f"(attribute_exists(successful_referrals) AND {condition})"
    return condition, {name: _n(value) for name, value in zip(names, guard.avoid, strict=True)}


def _visit_state(item: Item) -> tuple[float | None, list[float]]:
    """(anchor, touches) of a visit item; items from before touchpoints were kept have only
    `seen_at`, the last unique click, which is the anchor."""
    touches = [float(value["N"]) for value in item.get("touches", {}).get("L", [])]
    raw = (item.get("anchor") or item.get("seen_at") or {}).get("N")
    return (float(raw) if raw is not None else None), touches


def _month(at: float) -> str:
    return time.strftime("%Y-%m", time.gmtime(at))


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: float | int | Decimal) -> dict[str, str]:
    return {"N": str(value)}


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _numbers(item: Item) -> dict[str, Decimal]:
    return {name: Decimal(value["N"]) for name, value in item.items() if "N" in value}
