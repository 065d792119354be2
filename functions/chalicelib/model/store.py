"""The storage contract that the domain relies on: one protocol per capability, and `Store`
holding them. The capabilities that run the program around the referrals (outbox, admin keys,
limits, privacy, rollups) are in store_operations.py."""

from __future__ import annotations

from typing import Protocol

from .analytics import Page
from .ledger import (
    ConversionEffects,
    LimitedMessage,
    OutboxMessage,
    PoolCounts,
    RewardChange,
    RewardRecord,
    Touch,
)
from .records import (
    BoardEntry,
    Conversion,
    CounterMonth,
    CustomerProfile,
    Referrer,
)
from .store_operations import (
    AdminKeyStore,
    LimitsStore,
    OutboxStore,
    PaymentsStore,
    PrivacyStore,
    RollupsStore,
    SigninsStore,
)


class ReferrersStore(Protocol):
    """Referrers: their codes, counters, email index, opt-outs and ranking."""

    def find_referrer(
        self, program: str, email_key: str, *, consistent: bool = False
    ) -> Referrer | None:
        """The referrer with this email in this program, if any."""
        ...

    def create_referrer(self, referrer: Referrer, mail: LimitedMessage | None = None) -> bool:
        """Store a new referrer atomically with its email index, and `mail` with them when its
        tally is under its limit; whether `mail` was queued.
        Raises ReferrerExistsError (email taken) or CodeTakenError (code taken)."""
        ...

    def rotate_token(self, referrer: Referrer) -> bool:
        """Move the referrer's stats token version one up from `referrer.token_version`, on
        the referrer and its email index at once; False when it was no longer that version
        (rotated meanwhile) or the referrer is gone."""
        ...

    def get_referrer(self, code: str) -> Referrer | None: ...

    def get_referrers(self, codes: list[str]) -> dict[str, Referrer]:
        """Referrers by code (unknown ones left out)."""
        ...

    def read_code(self, code: str) -> tuple[Referrer, list[CounterMonth]] | None:
        """The referrer and every counter month of a code, in one query."""
        ...

    def read_referrer_page(
        self, code: str
    ) -> tuple[Referrer, list[CounterMonth], list[RewardRecord]] | None:
        """The referrer, counter months and rewards of a code, in one query."""
        ...

    def read_counters(self, code: str, first_month: str, last_month: str) -> list[CounterMonth]:
        """A code's counter months in a range (one query; not its rewards)."""
        ...

    def set_email_opt_out(self, code: str, opted_out: bool) -> bool: ...

    def list_referrers(self, program: str, limit: int, after: str | None) -> Page[Referrer]:
        """A program's referrers, oldest first, a page at a time."""
        ...

    def top_referrers(self, program: str, limit: int) -> list[BoardEntry]:
        """Up to `limit` referrers of the program with at least one successful referral,
        most first (one query on the ranking index)."""
        ...

    def count_referrers_above(self, program: str, successful_referrals: int, bound: int) -> int:
        """How many referrers of the program have more successful referrals than this,
        counting no further than `bound` (a return of `bound` means "bound or more")."""
        ...


class ClicksStore(Protocol):
    """The click path: one write per counted click, on the visitor's visit item. The table's
    stream carries that write to the rollups, which count it (domain/analytics/rollups.py)."""

    def claim_visit(
        self,
        visitor: str,
        code: str,
        now: float,
        window: int,
        *,
        keep: int = 0,
        program: str | None = None,
        channel: str = "direct",
        page: str | None = None,
    ) -> bool:
        """True when `visitor` has not been counted on `code` in the last `window` seconds
        (and records that they now have). Also keeps the click as a touchpoint of the
        visitor for max(window, keep) seconds. With `program`, the same write carries the
        click's program, channel and named landing page to the stream, which counts it
        (a ClickMade change); without, the visit is a touchpoint only."""
        ...

    def touchpoints(self, visitor: str) -> list[Touch]:
        """Every kept touchpoint of a visitor, on any code (one query)."""
        ...


class ConversionsStore(Protocol):
    """Conversions, written once per order with their effects, and refunds."""

    def record_conversion(
        self, conversion: Conversion, effects: ConversionEffects | None = None
    ) -> tuple[Conversion, bool]:
        """Store a conversion and count it (for each of its credited codes), with its
        `effects` (rewards, coupon claims, limit and tier counts, outbox messages), all in one
        transaction, exactly once per (program, event, order_id). Returns (stored conversion,
        created). A repeat returns the first one, created=False. Without effects, raises
        UnknownCodeError when the code is not in the conversion's program; with effects, a
        failed condition raises EffectsRejectedError saying which (and nothing is written)."""
        ...

    def get_conversion(self, program: str, event: str, order_id: str) -> Conversion | None: ...

    def confirm_conversion(
        self,
        claim: Conversion,
        confirmed: Conversion,
        effects: ConversionEffects,
        changes: list[RewardChange],
    ) -> tuple[Conversion, bool]:
        """Replace an unconfirmed browser claim with its trusted report, in one transaction,
        on condition that the stored conversion is still unconfirmed and as `claim`'s status
        says: its codes' counters move by the difference, the referral moves when its
        referrer does (checked like a new conversion's), the review queue follows the new
        status, `effects` are written and rewards moved as `changes` say. Returns (stored,
        True), or the stored conversion and False when it was confirmed (or moved on)
        meanwhile; EffectsRejectedError when a condition of the rest failed."""
        ...

    def get_customer(self, program: str, customer: str) -> CustomerProfile | None:
        """A referred customer (by keyed hash), as their purchases left them (consistent)."""
        ...

    def refund_conversion(
        self,
        before: Conversion,
        after: Conversion,
        changes: list[RewardChange],
        messages: tuple[OutboxMessage, ...] = (),
    ) -> bool:
        """Store the conversion's losses (refunds, disputes) and rewards as `after` says, on
        condition that its status and losses are still `before`'s; when `after` is refunded,
        reverse its counters and its referral too. Rewards move (or adjustments are written)
        as `changes` say, in the same transaction. False when the conversion had changed;
        EffectsRejectedError if a reward moved on."""
        ...

    def list_conversions(
        self, program: str, since: float, until: float, limit: int, after: str | None
    ) -> Page[Conversion]:
        """A program's conversions created in [since, until], oldest first."""
        ...


class ReviewsStore(Protocol):
    """The review queue of conversions flagged by a fraud rule."""

    def list_reviews(self, program: str, status: str, limit: int = 100) -> list[Conversion]:
        """Flagged conversions of a program by review status (review, approved, rejected),
        newest first, from the review queue (one query)."""
        ...

    def approve_conversion(
        self, approved: Conversion, effects: ConversionEffects
    ) -> tuple[Conversion, bool]:
        """Count a conversion held for review and write its effects, in one transaction, only
        if it is still in review; (stored conversion, False) when it no longer is."""
        ...

    def reject_conversion(self, rejected: Conversion) -> bool:
        """Store the rejection, only if the conversion is still in review."""
        ...


class RewardsStore(Protocol):
    """Rewards by code and by status, and their moves between statuses."""

    def get_rewards(self, refs: list[tuple[str, str]]) -> list[RewardRecord]:
        """Rewards by (code, reward id); missing ones are left out."""
        ...

    def list_rewards(
        self, program: str, status: str, *, due_by: float | None = None, limit: int = 100
    ) -> list[RewardRecord]:
        """A program's rewards in one status, oldest first (pending: by end of hold)."""
        ...

    def page_rewards(
        self, program: str, status: str, limit: int, after: str | None
    ) -> Page[RewardRecord]:
        """A program's rewards in one status, in the order of list_rewards, a page at a time."""
        ...

    def change_rewards(
        self, changes: list[RewardChange], messages: tuple[OutboxMessage, ...] = ()
    ) -> None:
        """Move rewards between statuses (and claim coupons) atomically, with messages."""
        ...


class CouponsStore(Protocol):
    """Coupon pools that coupon rewards draw from."""

    def add_coupons(self, program: str, pool: str, coupons: list[str]) -> int:
        """Add codes the pool has never held; returns how many were added."""
        ...

    def free_coupons(self, program: str, pool: str, limit: int = 10) -> list[str]: ...

    def pool_counts(self, program: str, pool: str) -> PoolCounts: ...


class Store(Protocol):
    """Everything the domain may ask of storage, one capability per attribute; the DynamoDB
    store and its in-memory twin both provide it (tests/unit/store_contract/)."""

    @property
    def referrers(self) -> ReferrersStore: ...

    @property
    def clicks(self) -> ClicksStore: ...

    @property
    def conversions(self) -> ConversionsStore: ...

    @property
    def reviews(self) -> ReviewsStore: ...

    @property
    def rewards(self) -> RewardsStore: ...

    @property
    def coupons(self) -> CouponsStore: ...

    @property
    def outbox(self) -> OutboxStore: ...

    @property
    def admin_keys(self) -> AdminKeyStore: ...

    @property
    def limits(self) -> LimitsStore: ...

    @property
    def privacy(self) -> PrivacyStore: ...

    @property
    def rollups(self) -> RollupsStore: ...

    @property
    def payments(self) -> PaymentsStore: ...

    @property
    def signins(self) -> SigninsStore: ...
