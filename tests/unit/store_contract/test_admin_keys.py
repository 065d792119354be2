"""Admin keys on both twins: stored by hash, listed, revoked and deleted."""

from __future__ import annotations

from typing import Any

from chalicelib.model.records import AdminKey
from tests.common import NOW


def test_admin_keys(store: Any) -> None:
    key = AdminKey("h" * 64, "ci", ("shop",), "read", NOW)
    store.admin_keys.put_admin_key(key)
    assert store.admin_keys.get_admin_key("h" * 64) == key
    assert key.allows("shop", write=False) and not key.allows("shop", write=True)
    assert not key.allows("acme", write=False)
    store.admin_keys.delete_admin_key("h" * 64)
    assert store.admin_keys.get_admin_key("h" * 64) is None


def test_admin_keys_are_listed_and_revoked(store: Any) -> None:
    key = AdminKey("a" * 64, "ops", ("shop",), "write", NOW, created_by="root")
    store.admin_keys.put_admin_key(key)
    assert store.admin_keys.list_admin_keys() == [key]
    assert store.admin_keys.revoke_admin_key(key.key_hash, NOW + 1)
    assert store.admin_keys.get_admin_key(key.key_hash).revoked
    assert store.admin_keys.get_admin_key(key.key_hash).revoked_at == NOW + 1
    assert not store.admin_keys.revoke_admin_key("b" * 64, NOW)
