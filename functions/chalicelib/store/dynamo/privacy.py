"""A person's data in DynamoDB (docs/privacy.md): the person index of a customer's orders,
and erasing a referrer or customer while their counts stay."""

from __future__ import annotations

from ...model.ledger import Tally
from ...model.records import Conversion
from .. import keys, rules
from ..attrs import Item, b, n, s, text, unavailable_on_failure
from .shared import EXISTS, Table


class DynamoPrivacy:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def person_orders(self, program: str, identity: str) -> list[tuple[str, str]]:
        items = self._table.query("PK = :pk", {":pk": s(keys.person_pk(program, identity))})
        return [(text(item, "event"), text(item, "order_id")) for item in items]

    @unavailable_on_failure
    def erase_referrer(self, code: str, program: str, email_key: str) -> None:
        """Remove the referrer's email, name and hashed identities; the code, its counters
        and rewards stay (anonymous). Their stats link stops working (new token version)."""
        self._table.client.update_item(
            TableName=self._table.name,
            Key=keys.key(keys.code_pk(code), keys.META),
            UpdateExpression=(
                "SET #name = :blank, email_opt_out = :yes REMOVE email, email_key, "
                "#identity, #visitor ADD token_version :one"
            ),
            ExpressionAttributeNames={
                "#name": "name",
                "#identity": "identity",
                "#visitor": "visitor",
            },
            ExpressionAttributeValues={":blank": s(""), ":yes": b(True), ":one": n(1)},
        )
        self._delete(keys.key(keys.email_pk(program, email_key), keys.META))

    @unavailable_on_failure
    def erase_customer(self, conversion: Conversion) -> None:
        """Remove the customer's hashed identities from a conversion (and its review-queue
        copy) and drop it from their person index; the counts it made stay."""
        order = keys.order_pk(conversion.program, conversion.event, conversion.order_id)
        copies = [keys.key(order, keys.META)]
        if conversion.flags:
            queued = keys.key(keys.review_pk(conversion.program), rules.review_order(conversion))
            copies.append(queued)
        for key in copies:
            self._table.update(
                key,
                "SET #visitor = :blank REMOVE #identity, customer",
                {":blank": s("")},
                names={"#identity": "identity", "#visitor": "visitor"},
                condition=EXISTS.expression,
            )
        if conversion.identity:
            line = keys.person_sk(conversion.event, conversion.order_id)
            self._delete(keys.key(keys.person_pk(conversion.program, conversion.identity), line))

    @unavailable_on_failure
    def forget_identity(self, program: str, identity: str, customer_key: str) -> None:
        """Delete what is keyed by a person's hashes: their duplicate-identity tallies and
        the first-purchase marker of their customer key."""
        for _, rule, subject, window in rules.identity_tallies(program, identity):
            self._delete(keys.key(keys.tally_pk(program, rule, subject), window))
        self._delete(keys.key(keys.customer_pk(program, customer_key), keys.FIRST_PURCHASE))

    @unavailable_on_failure
    def erase_tallies(self, tallies: list[Tally]) -> None:
        if tallies:
            self._table.transact(
                [
                    {"Delete": {"TableName": self._table.name, "Key": _tally_key(tally)}}
                    for tally in tallies
                ]
            )

    def _delete(self, key: Item) -> None:
        self._table.client.delete_item(TableName=self._table.name, Key=key)


def _tally_key(tally: Tally) -> Item:
    return keys.key(keys.tally_pk(tally.program, tally.rule, tally.subject), tally.window)
