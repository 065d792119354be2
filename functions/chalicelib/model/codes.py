"""Referral codes: short, unambiguous, random (never derived from the email)."""

from __future__ import annotations

import re
import secrets

# No 0/o, 1/l/i: a code read aloud or copied from a screenshot comes out right.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7  # 31**7 is about 2.7e10 codes: collisions are rare and retried.
_CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{2,31}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str | None:
    """The canonical form of a code from a URL or request, or None if it cannot be one."""
    code = raw.strip().lower()
    return code if _CODE_RE.fullmatch(code) else None
