"""Admin API keys: shown once, stored only as a SHA-256 hash, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import replace

from ...model.clock import iso
from ...model.errors import ForbiddenError, InvalidInputError, NotFoundError, UnauthorizedError
from ...model.records import AdminKey
from ...model.store import Store

KEY_PREFIX = "rk_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is as safe as a slow one here.
    return hashlib.sha256(key.encode()).hexdigest()


def bearer_key(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authorize(store: Store, authorization: str | None, program: str, *, write: bool) -> AdminKey:
    """The admin key in an `Authorization: Bearer ...` header, if it may act on `program`."""
    key = bearer_key(authorization)
    if key is None:
        raise UnauthorizedError("This call needs an admin key: 'Authorization: Bearer <key>'.")
    if len(key) > 200 or not key.isascii():
        raise UnauthorizedError("The admin key is not valid.")
    digest = hash_key(key)
    stored = store.admin_keys.get_admin_key(digest)
    if stored is None or not hmac.compare_digest(stored.key_hash, digest) or stored.revoked:
        raise UnauthorizedError("The admin key is not valid (unknown or revoked).")
    if not stored.allows(program, write=write):
        raise ForbiddenError(
            f"This admin key may not {'write to' if write else 'read'} program '{program}'."
        )
    return stored


def is_admin(store: Store, authorization: str | None, program: str) -> bool:
    """True when the header carries a valid write key for `program`; never raises for a
    missing header (used where a key is optional)."""
    if bearer_key(authorization) is None:
        return False
    authorize(store, authorization, program, write=True)
    return True


SCOPES = ("read", "write")
_NAME_RE = re.compile(r"[^\x00-\x1f\x7f]{1,60}")


def create_key(
    store: Store, creator: AdminKey, program: str, name: object, scope: object, now: float
) -> tuple[str, AdminKey]:
    """A new key for `program`, made by a write key that covers it: (the key, shown only
    now; its record, which holds only the hash). A key can never grant more than it has."""
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name) or not name.strip():
        raise InvalidInputError("'name' is required: 1-60 characters saying who uses the key.")
    if scope not in SCOPES:
        raise InvalidInputError('\'scope\' must be "read" or "write".')
    if not creator.allows(program, write=True):
        raise ForbiddenError(f"This admin key may not create keys for program '{program}'.")
    key = new_key()
    record = AdminKey(
        key_hash=hash_key(key),
        name=name.strip(),
        programs=(program,),
        scope=str(scope),
        created_at=now,
        created_by=creator.name,
    )
    store.admin_keys.put_admin_key(record)
    return key, record


def keys_of(store: Store, program: str) -> list[AdminKey]:
    """Every key that may act on `program` (its own keys and all-program keys)."""
    found = [
        k for k in store.admin_keys.list_admin_keys() if "*" in k.programs or program in k.programs
    ]
    return sorted(found, key=lambda k: k.created_at)


def revoke_key(store: Store, caller: AdminKey, program: str, key_id: str, now: float) -> AdminKey:
    """Revoke a key of `program` by its id (the start of its hash). A key for several
    programs can only be revoked by a key that covers all of them."""
    if not re.fullmatch(r"[0-9a-f]{8,64}", key_id):
        raise InvalidInputError("A key id is the hex id shown by `referbee keys list`.")
    matches = [k for k in keys_of(store, program) if k.key_hash.startswith(key_id)]
    if len(matches) != 1:
        raise NotFoundError(f"There is no admin key '{key_id}' for program '{program}'.")
    target = matches[0]
    if not all(caller.allows(p, write=True) for p in target.programs):
        raise ForbiddenError("This admin key may not revoke a key that covers other programs.")
    if not target.revoked:
        store.admin_keys.revoke_admin_key(target.key_hash, now)
    return replace(target, revoked=True, revoked_at=target.revoked_at or now)


def key_view(key: AdminKey) -> dict[str, object]:
    """A key as listings show it: never the key, only its id (the start of its hash)."""
    view: dict[str, object] = {
        "id": key.key_id,
        "name": key.name,
        "programs": list(key.programs),
        "scope": key.scope,
        "created_at": iso(key.created_at),
        "revoked": key.revoked,
    }
    if key.created_by:
        view["created_by"] = key.created_by
    if key.revoked_at:
        view["revoked_at"] = iso(key.revoked_at)
    return view
