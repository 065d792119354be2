"""Admin key items: `KEY#{sha256}` / `META`, listed in GSI1 under `KEYS`."""

from __future__ import annotations

from ..model.records import AdminKey
from . import keys
from .attrs import Item, n, s


def admin_key_item(key: AdminKey) -> Item:
    item: Item = {
        "PK": s(keys.key_pk(key.key_hash)),
        "SK": s(keys.META),
        "GSI1PK": s(keys.KEYS_GSI),
        "GSI1SK": s(key.key_hash),
        "key_hash": s(key.key_hash),
        "name": s(key.name),
        "programs": {"SS": list(key.programs)},
        "scope": s(key.scope),
        "created_at": n(key.created_at),
        "revoked": {"BOOL": key.revoked},
    }
    if key.created_by:
        item["created_by"] = s(key.created_by)
    if key.revoked_at:
        item["revoked_at"] = n(key.revoked_at)
    return item


def admin_key_from_item(item: Item) -> AdminKey:
    return AdminKey(
        key_hash=item["key_hash"]["S"],
        name=item["name"]["S"],
        programs=tuple(sorted(item["programs"]["SS"])),
        scope=item["scope"]["S"],
        created_at=float(item["created_at"]["N"]),
        revoked=item.get("revoked", {}).get("BOOL", False),
        created_by=item.get("created_by", {}).get("S", ""),
        revoked_at=float(item.get("revoked_at", {}).get("N", 0)),
    )
