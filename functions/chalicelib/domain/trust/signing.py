"""Everything referbee derives from its server secret: stats tokens, click ids, visitor and
email hashes, sign-in tokens and their hashes. Each use has its own derived key, so one kind
of value can never be replayed as another.

Stats tokens and click ids are self-verifying (an HMAC inside), so checking them costs no
database request, and garbage is rejected before the database is asked anything.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from ...model.codes import normalize_code

MAX_CLICK_ID = 200


@dataclass(frozen=True)
class ClickId:
    code: str
    at: float
    visitor: str = ""  # who clicked (the visitor hash), so a conversion can find their clicks
    channel: str = ""  # the share channel (`?ch=`) and named landing page (`?to=`) of the
    page: str = ""  # click, so conversions can be split by them without a database read


class Signer:
    def __init__(
        self,
        secret: bytes,
        *,
        visitor_salt_days: int = 0,
        now: Callable[[], float] = time.time,
    ) -> None:
        """`visitor_salt_days`: when set, visitor hashes change every that many days (the
        period's number is part of the hashed text), so a visitor cannot be followed across
        periods, at the cost of counting them again (docs/privacy.md)."""
        if len(secret) < 16:
            raise ValueError("the server secret must be at least 16 bytes")
        self._salt_seconds = visitor_salt_days * 86400
        self._now = now
        self._keys = {
            purpose: hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
            for purpose in (
                "stats",
                "click",
                "visitor",
                "email",
                "customer",
                "unsubscribe",
                "identity",
                "cursor",
                "signin",
                "signin_hash",
            )
        }
        self._keyed = {
            purpose: hmac.new(key, None, hashlib.sha256) for purpose, key in self._keys.items()
        }

    def stats_token(self, code: str, version: int = 1) -> str:
        return f"{code}.{version}.{self._mac('stats', f'{code}.{version}', 16)}"

    def read_stats_token(self, token: str) -> tuple[str, int] | None:
        """(code, version) of a genuine token, else None. Constant-time comparison."""
        parts = token.split(".")
        if len(parts) != 3 or not (parts[1].isascii() and parts[1].isdigit()) or len(parts[1]) > 6:
            return None
        code = normalize_code(parts[0])
        if code is None or code != parts[0]:
            return None
        expected = self._mac("stats", f"{code}.{parts[1]}", 16)
        if not hmac.compare_digest(expected, parts[2]):
            return None
        return code, int(parts[1])

    def click_id(
        self, code: str, at: float, visitor: str = "", channel: str = "", page: str = ""
    ) -> str:
        """`code.time.nonce[.visitor[.channel.page]].mac`; channel and page names are made of
        [a-z0-9_-], so the id needs no escaping in a URL."""
        body = f"{code}.{_base36(int(at))}.{secrets.token_hex(3)}"
        if visitor:
            body += f".{visitor}"
            if channel or page:
                body += f".{channel}.{page}"
        return f"{body}.{self._mac('click', body, 10)}"

    def read_click_id(self, click_id: str) -> ClickId | None:
        parts = click_id.split(".")
        if len(parts) not in (4, 5, 7) or len(click_id) > MAX_CLICK_ID or not click_id.isascii():
            return None
        body = ".".join(parts[:-1])
        if not hmac.compare_digest(self._mac("click", body, 10), parts[-1]):
            return None
        visitor = parts[3] if len(parts) >= 5 else ""
        channel, page = (parts[4], parts[5]) if len(parts) == 7 else ("", "")
        code = normalize_code(parts[0])
        if code is None:
            return None
        try:
            at = int(parts[1], 36)
        except ValueError:
            return None
        return ClickId(code=code, at=float(at), visitor=visitor, channel=channel, page=page)

    def sign_cursor(self, cursor: str) -> str:
        """A listing's position, signed so a client can hand it back but not forge one."""
        return f"{cursor}.{self._mac('cursor', cursor, 12)}"

    def read_cursor(self, signed: str) -> str | None:
        cursor, _, mac = signed.rpartition(".")
        if not cursor or not signed.isascii():
            return None
        if not hmac.compare_digest(self._mac("cursor", cursor, 12), mac):
            return None
        return cursor

    def visitor_hash(self, ip: str, user_agent: str) -> str:
        """A pseudonym for one browser on one network. The raw IP and user agent are never
        stored, only this keyed hash of them (salted with the current period when visitor
        salts rotate)."""
        period = f"{int(self._now() // self._salt_seconds)}\n" if self._salt_seconds else ""
        return self._mac("visitor", f"{period}{ip}\n{user_agent}", 16)

    def email_key(self, program: str, email: str) -> str:
        """Lookup key of a normalized email within a program."""
        return self._mac("email", f"{program}\n{email}", 20)

    def customer_key(self, program: str, customer_id: str) -> str:
        """Lookup key of a shop's customer id (it may be an email): never stored in clear."""
        return self._mac("customer", f"{program}\n{customer_id}", 16)

    def identity_key(self, program: str, canonical_email: str) -> str:
        """Lookup key of a person within a program: their canonical email (look-alikes and
        sub-addresses folded, see trust/lookalikes.py), keyed so it is never stored in clear."""
        return self._mac("identity", f"{program}\n{canonical_email}", 16)

    def unsubscribe_token(self, code: str) -> str:
        return f"{code}.{self._mac('unsubscribe', code, 16)}"

    def read_unsubscribe_token(self, token: str) -> str | None:
        """The code of a genuine unsubscribe token, else None (constant-time comparison)."""
        code, _, mac = token.partition(".")
        if normalize_code(code) != code or not mac:
            return None
        if not hmac.compare_digest(self._mac("unsubscribe", code, 16), mac):
            return None
        return code

    def signin_token(self, nonce: str) -> str:
        """The token of a sign-in link (192 bits, hex), made from the random `nonce` that
        travels in the outbox: the table never holds the token itself, and the nonce is
        worth nothing without the secret."""
        return self._mac("signin", nonce, 24)

    def signin_hash(self, token: str) -> str:
        """What the table keeps of a sign-in token: its keyed hash."""
        return self._mac("signin_hash", token, 20)

    def _mac(self, purpose: str, message: str, size: int) -> str:
        # Hex: URL-safe, case-free, and encoded in C (base32 is pure Python and showed up
        # as the largest single cost of a click in profiles). Each purpose's HMAC is keyed
        # once (its padded key hashed) and copied per message.
        mac = self._keyed[purpose].copy()
        mac.update(message.encode())
        return mac.digest()[:size].hex()


@functools.lru_cache(maxsize=8)  # a click's time in seconds: the same for many clicks
def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out
