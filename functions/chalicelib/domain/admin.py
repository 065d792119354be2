"""Admin API keys: shown once, stored only as a SHA-256 hash, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ..store.base import Store
from ..store.records import AdminKey
from .errors import ForbiddenError, UnauthorizedError

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
    stored = store.get_admin_key(digest)
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
