"""Admin API keys in memory, by their hash."""

from __future__ import annotations

from dataclasses import replace

from ...model.records import AdminKey
from .metering import metered
from .shared import State


@metered
class MemoryAdminKeys:
    def __init__(self, state: State) -> None:
        self._state = state

    def get_admin_key(self, key_hash: str) -> AdminKey | None:
        return self._state.admin_keys.get(key_hash)

    def put_admin_key(self, key: AdminKey) -> None:
        self._state.admin_keys[key.key_hash] = key

    def delete_admin_key(self, key_hash: str) -> None:
        self._state.admin_keys.pop(key_hash, None)

    def list_admin_keys(self) -> list[AdminKey]:
        return sorted(self._state.admin_keys.values(), key=lambda key: key.key_hash)

    def revoke_admin_key(self, key_hash: str, at: float) -> bool:
        with self._state.lock:
            key = self._state.admin_keys.get(key_hash)
            if key is None:
                return False
            self._state.admin_keys[key_hash] = replace(key, revoked=True, revoked_at=at)
            return True
