"""The storage contract that the domain relies on."""

from __future__ import annotations

from typing import Protocol

from .records import AdminKey, BoardEntry, Conversion, CounterMonth, Referrer


class Store(Protocol):
    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        """The referrer with this email in this program, if any."""
        ...

    def create_referrer(self, referrer: Referrer) -> None:
        """Store a new referrer atomically with its email index.
        Raises ReferrerExistsError (email taken) or CodeTakenError (code taken)."""
        ...

    def get_referrer(self, code: str) -> Referrer | None: ...

    def claim_visit(self, visitor: str, code: str, now: float, window: int) -> bool:
        """True when `visitor` has not been counted on `code` in the last `window` seconds
        (and records that they now have)."""
        ...

    def count_click(self, code: str, at: float, *, unique: bool, channel: str | None) -> str | None:
        """Add one click (and one unique click) to the code's counters for the day of `at`.
        Returns the code's program, or None when the code does not exist."""
        ...

    def record_conversion(self, conversion: Conversion) -> tuple[Conversion, bool]:
        """Store a conversion and count it, exactly once per (program, event, order_id).
        Returns (stored conversion, created). A repeat returns the first one, created=False.
        Raises UnknownCodeError when the code is not in the conversion's program."""
        ...

    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        """The referrer and every counter month of a code, in one query."""
        ...

    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        """Up to `limit` referrers of the program with at least one successful referral,
        most first (one query on the ranking index)."""
        ...

    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        """How many referrers of the program have more successful referrals than this,
        counting no further than `bound` (a return of `bound` means "bound or more")."""
        ...

    def get_admin_key(self, key_hash: str) -> AdminKey | None: ...

    def put_admin_key(self, key: AdminKey) -> None: ...

    def delete_admin_key(self, key_hash: str) -> None: ...
