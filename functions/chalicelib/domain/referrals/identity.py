"""Who a referrer is: their email (validated and normalized) and, where the program asks for
it, proof from the site owner's server that the browser speaks for that email."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from ...model.errors import InvalidInputError, UnauthorizedError
from ...model.program import Program

_LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def normalize_email(raw: object) -> str:
    """A valid email in lower case, with an IDNA-encoded domain; InvalidInputError otherwise."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInputError("'email' is required and must be text, e.g. \"jane@example.com\".")
    email = raw.strip()
    if len(email) > 254:
        raise InvalidInputError("'email' is too long (254 characters at most).")
    local, at, domain = email.rpartition("@")
    if not at or not local or len(local) > 64 or not _LOCAL_RE.fullmatch(local):
        raise InvalidInputError(f"'email' is not a valid address: '{_clip(email)}'.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidInputError(f"'email' has an invalid domain: '{_clip(domain)}'.") from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        raise InvalidInputError(f"'email' has an invalid domain: '{_clip(domain)}'.")
    if labels[-1].isdigit():
        raise InvalidInputError(f"'email' has an invalid domain: '{_clip(domain)}'.")
    return f"{local.lower()}@{ascii_domain}"


def masked_email(email: str) -> str:
    """A normalized email as shown to whoever typed it: its first character, "…", "@" and the
    domain (`j…@example.com`), enough to spot a typo and no more."""
    local, _, domain = email.rpartition("@")
    try:
        shown = domain.encode("ascii").decode("idna")
    except UnicodeError:
        shown = domain
    return f"{local[:1]}\u2026@{shown}"


def clean_name(raw: object) -> str:
    """A display name: text, no control characters, at most 80 characters. Optional."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise InvalidInputError("'name' must be text, e.g. \"Jane Doe\".")
    if _SURROGATE.search(raw):
        raise InvalidInputError("'name' contains characters that are not valid text.")
    name = _CONTROL.sub("", unicodedata.normalize("NFC", raw)).strip()
    if len(name) > 80:
        raise InvalidInputError("'name' is too long (80 characters at most).")
    return name


def identity_signature(secret: str, email: str) -> str:
    """What the site owner's server computes: hex HMAC-SHA256 of the lower-cased email."""
    return hmac.new(secret.encode(), email.lower().encode(), hashlib.sha256).hexdigest()


def check_identity(program: Program, email: str, signature: object, *, is_admin: bool) -> None:
    """Raise UnauthorizedError unless this caller may act for `email` in `program`."""
    if program.identity_secret is None or is_admin:
        return
    if not isinstance(signature, str) or not signature:
        raise UnauthorizedError(
            f"Program '{program.id}' requires 'signature': the hex HMAC-SHA256 of the "
            "lower-cased email, computed by your server with the program's identity_secret."
        )
    expected = identity_signature(program.identity_secret, email)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise UnauthorizedError("'signature' does not match this email.")


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
