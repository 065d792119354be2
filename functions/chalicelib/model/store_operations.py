"""The storage contract, continued: what runs the program around the referrals (the outbox,
admin keys, rate limits, a person's data, the program rollups and sign-in links). `Store` in
store.py holds these next to the referral capabilities."""

from __future__ import annotations

from typing import Protocol

from .analytics import ProgramRollups, RollupWrite
from .ledger import DeliveryAttempt, LimitedMessage, OutboxMessage, Tally
from .records import AdminKey, Conversion, SigninLink


class OutboxStore(Protocol):
    """Webhooks and emails waiting to go out, and the delivery log."""

    def due_messages(self, now: float, limit: int = 25) -> list[OutboxMessage]:
        """Queued outbox messages whose next attempt is due, oldest first."""
        ...

    def lease_message(self, message: OutboxMessage, now: float, until: float) -> bool:
        """Take a message for one delivery attempt; False if someone else has it."""
        ...

    def finish_delivery(self, message: OutboxMessage, attempt: DeliveryAttempt) -> bool:
        """Store the message after an attempt (attempts + 1) and log the attempt."""
        ...

    def delivery_log(self, program: str, limit: int = 50) -> list[DeliveryAttempt]:
        """A program's latest delivery attempts, newest first."""
        ...

    def queue_message(self, mail: LimitedMessage) -> bool:
        """Queue the message if its tally is under its limit, counting it, at once; whether
        it was queued."""
        ...


class AdminKeyStore(Protocol):
    """Admin API keys, kept by their hash."""

    def get_admin_key(self, key_hash: str) -> AdminKey | None: ...

    def put_admin_key(self, key: AdminKey) -> None: ...

    def delete_admin_key(self, key_hash: str) -> None: ...

    def list_admin_keys(self) -> list[AdminKey]:
        """Every admin key (one query on GSI1 `KEYS`)."""
        ...

    def revoke_admin_key(self, key_hash: str, at: float) -> bool:
        """Mark a key revoked; False when there is no such key."""
        ...


class LimitsStore(Protocol):
    """Rate-limit windows."""

    def hit_rate(self, tally: Tally) -> int:
        """Count one request in a rate-limit window; the count including it."""
        ...


class PrivacyStore(Protocol):
    """A person's data: export and erasure."""

    def person_orders(self, program: str, identity: str) -> list[tuple[str, str]]:
        """(event, order id) of the conversions that named this customer identity."""
        ...

    def erase_referrer(self, code: str, program: str, email_key: str) -> None:
        """Remove a referrer's email, name and hashed identities (and their email index);
        their code, counters and rewards stay."""
        ...

    def erase_customer(self, conversion: Conversion) -> None:
        """Remove the customer's hashed identities from a conversion and its queue copy."""
        ...

    def forget_identity(self, program: str, identity: str, customer_key: str) -> None:
        """Delete the tallies and first-purchase marker keyed by a person's hashes."""
        ...

    def erase_tallies(self, tallies: list[Tally]) -> None:
        """Delete these tallies' windows (the rate limits keyed by a person's address), at
        once; windows that are not there are no matter."""
        ...


class RollupsStore(Protocol):
    """Program rollups summed from the table's stream."""

    def rollup_marker(self, batch_id: str) -> str | None:
        """The sequence number of the last record of a stream batch that the rollups hold."""
        ...

    def active_days(self, codes: list[str]) -> dict[str, str]:
        """Each code's last day (YYYY-MM-DD) with a click as rolled up; absent: never."""
        ...

    def apply_rollup(self, write: RollupWrite) -> None:
        """Add to program days and totals, move codes' active days and the batch's marker,
        atomically; RollupConflictError if the marker or an active day was not as expected."""
        ...

    def read_rollups(self, program: str, since_day: str) -> ProgramRollups:
        """A program's daily rollups from `since_day` on, and its totals (one query)."""
        ...


class SigninsStore(Protocol):
    """Sign-in links: the keyed hash of each token, spent once, expiring after a while."""

    def create_signin(self, link: SigninLink, message: OutboxMessage) -> None:
        """Store a new sign-in link (expiring by TTL at its expires_at) with the message that
        carries it, at once."""
        ...

    def spend_signin(self, token_hash: str, program: str, now: float) -> str | None:
        """Spend a sign-in link of `program` that has not expired by `now`, in one conditional
        write: the code it signs in to, or None (unknown, spent, expired or another
        program's, which stays as it was). Concurrent calls: one gets the code."""
        ...
