"""Sign-in links in DynamoDB: `SIGNIN#{keyed hash of the token}` / `META`, written with the
message that carries the token and spent by one conditional delete."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ...model.ledger import OutboxMessage
from ...model.records import SigninLink
from .. import keys
from ..attrs import CONDITION_FAILED, Item, error_code, n, s, text, unavailable_on_failure
from .outbox import message_puts
from .shared import NEW, Table


class DynamoSignins:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def create_signin(self, link: SigninLink, message: OutboxMessage) -> None:
        self._table.transact(
            [self._table.put(_signin_item(link), NEW), *message_puts(self._table, (message,))]
        )

    @unavailable_on_failure
    def spend_signin(self, token_hash: str, program: str, now: float) -> str | None:
        """A delete on condition that the link is there, the program's and not expired
        (store/rules.py signin_spendable): of concurrent spends, exactly one passes."""
        try:
            response = self._table.client.delete_item(
                TableName=self._table.name,
                Key=keys.key(keys.signin_pk(token_hash), keys.META),
                ConditionExpression="program = :program AND #expires > :now",
                ExpressionAttributeNames={"#expires": keys.TTL_ATTRIBUTE},
                ExpressionAttributeValues={":program": s(program), ":now": n(now)},
                ReturnValues="ALL_OLD",
            )
        except ClientError as exc:
            if error_code(exc) == CONDITION_FAILED:
                return None
            raise
        return text(response.get("Attributes", {}), "code") or None


def _signin_item(link: SigninLink) -> Item:
    return {
        **keys.key(keys.signin_pk(link.token_hash), keys.META),
        "program": s(link.program),
        "code": s(link.code),
        "created_at": n(link.created_at),
        keys.TTL_ATTRIBUTE: n(link.expires_at),
    }
