"""Admin API keys in DynamoDB: `KEY#{sha256}` / `META`, listed in GSI1 under `KEYS`."""

from __future__ import annotations

from ...model.records import AdminKey
from .. import keys
from ..attrs import Item, b, boolean, n, number, s, text, unavailable_on_failure
from .shared import EXISTS, Table


class DynamoAdminKeys:
    def __init__(self, table: Table) -> None:
        self._table = table

    @unavailable_on_failure
    def get_admin_key(self, key_hash: str) -> AdminKey | None:
        item = self._table.get(keys.key(keys.key_pk(key_hash), keys.META))
        return _admin_key(item) if item else None

    @unavailable_on_failure
    def put_admin_key(self, key: AdminKey) -> None:
        self._table.client.put_item(TableName=self._table.name, Item=_admin_key_item(key))

    @unavailable_on_failure
    def delete_admin_key(self, key_hash: str) -> None:
        self._table.client.delete_item(
            TableName=self._table.name, Key=keys.key(keys.key_pk(key_hash), keys.META)
        )

    @unavailable_on_failure
    def list_admin_keys(self) -> list[AdminKey]:
        items = self._table.query("GSI1PK = :pk", {":pk": s(keys.KEYS_GSI)}, index=keys.GSI1)
        return [_admin_key(item) for item in items]

    @unavailable_on_failure
    def revoke_admin_key(self, key_hash: str, at: float) -> bool:
        revoked = self._table.update(
            keys.key(keys.key_pk(key_hash), keys.META),
            "SET revoked = :yes, revoked_at = :at",
            {":yes": b(True), ":at": n(at)},
            condition=EXISTS.expression,
        )
        return revoked is not None


def _admin_key_item(key: AdminKey) -> Item:
    item: Item = {
        **keys.key(keys.key_pk(key.key_hash), keys.META),
        **keys.gsi1(keys.KEYS_GSI, key.key_hash),
        "key_hash": s(key.key_hash),
        "name": s(key.name),
        "programs": {"SS": list(key.programs)},
        "scope": s(key.scope),
        "created_at": n(key.created_at),
        "revoked": b(key.revoked),
    }
    if key.created_by:
        item["created_by"] = s(key.created_by)
    if key.revoked_at:
        item["revoked_at"] = n(key.revoked_at)
    return item


def _admin_key(item: Item) -> AdminKey:
    return AdminKey(
        key_hash=item["key_hash"]["S"],
        name=item["name"]["S"],
        programs=tuple(sorted(item["programs"]["SS"])),
        scope=item["scope"]["S"],
        created_at=float(item["created_at"]["N"]),
        revoked=boolean(item, "revoked"),
        created_by=text(item, "created_by"),
        revoked_at=number(item, "revoked_at"),
    )
