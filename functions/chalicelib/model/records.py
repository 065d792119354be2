"""What the store keeps and returns: plain dataclasses, the same for both store twins."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .ledger import Credit, RewardRecord
from .losses import Loss
from .statuses import RECORDED as RECORDED
from .statuses import REJECTED as REJECTED
from .statuses import REVIEW as REVIEW

CLICKS = "clicks"
CONVERSIONS = "conversions"
# The counter letters of conversions held for review now, by day: added when a conversion is
# held, taken back when a person decides (or a refund ends it).
HELD_PURCHASE = "x"
HELD_SIGNUP = "y"


@dataclass(frozen=True)
class Referrer:
    code: str
    program: str
    email_key: str
    email: str
    name: str
    created_at: float
    token_version: int = 1
    successful_referrals: int = 0
    email_opt_out: bool = False  # the referrer unsubscribed from reward emails
    identity: str = ""  # keyed hash of the canonical email (domain/trust/lookalikes.py)
    visitor: str = ""  # the visitor hash of the browser that asked for the code


@dataclass(frozen=True)
class SigninLink:
    """A sign-in link waiting to be followed: only the keyed hash of its token is kept, with
    the program and the referrer's code it signs in to, until it is spent or expires."""

    token_hash: str
    program: str
    code: str
    created_at: float
    expires_at: int  # whole seconds, as DynamoDB's TTL reads them


@dataclass(frozen=True)
class BoardEntry:
    """A referrer as the ranking index (GSI2) projects them: no email, no token version."""

    code: str
    name: str
    successful_referrals: int


@dataclass(frozen=True)
class Conversion:
    program: str
    event: str  # signup | purchase
    order_id: str
    code: str
    created_at: float
    amount: Decimal = Decimal(0)
    currency: str = ""
    click_id: str = ""
    visitor: str = ""
    successful: bool = False  # counts as a successful referral (the program's success event)
    # The attribution model's shares (empty: `code` has all the credit), the rewards issued
    # with the conversion (as issued), why a reward rule gave nothing, and refund state.
    credits: tuple[Credit, ...] = ()
    rewards: tuple[RewardRecord, ...] = ()
    notes: tuple[str, ...] = ()
    status: str = RECORDED
    refunded_at: float = 0.0
    # Fraud screening and review: why it was flagged, who decided and why.
    flags: tuple[str, ...] = ()
    customer: str = ""  # the customer key of first-purchase rules (hashed)
    identity: str = ""  # the customer's canonical email key (hashed), when one was sent
    decided_by: str = ""
    decided_at: float = 0.0
    decision_note: str = ""
    # For program analytics: the share channel and landing page of the converting click
    # (from its click id; "" when unknown), the attribution model that credited it, and the
    # customer (keyed hash), when they first bought through a referral and which of their
    # purchases this is (1 = the first; 0 for signups).
    channel: str = ""
    page: str = ""
    model: str = ""
    customer_first_at: float = 0.0
    customer_seq: int = 0
    # Where it was reported (api, pixel, beacon; "" before this was kept), whether it is a
    # browser's claim that no trusted path has confirmed yet (its rewards wait), and which
    # trusted path confirmed it, when.
    source: str = ""
    unverified: bool = False
    confirmed_by: str = ""
    confirmed_at: float = 0.0
    # The referrer's personal discount code the order used (as the shop sent it), and the
    # money that went back since: refunds and disputes, by the provider's ids.
    discount_code: str = ""
    losses: tuple[Loss, ...] = ()

    @property
    def organic(self) -> bool:
        """Recorded without a referrer: in the program's totals, credited to nobody."""
        return not self.code


def credits_of(conversion: Conversion) -> tuple[Credit, ...]:
    """The codes a conversion counts for; without shares, its code has all of it (an organic
    conversion counts for none)."""
    if conversion.organic:
        return ()
    return conversion.credits or (Credit(conversion.code, Decimal(1), conversion.amount),)


@dataclass(frozen=True)
class AdminKey:
    key_hash: str
    name: str
    programs: tuple[str, ...]  # ("*",) for every program
    scope: str  # "write" or "read"
    created_at: float
    revoked: bool = False
    created_by: str = ""  # the name of the key that created this one
    revoked_at: float = 0.0

    @property
    def key_id(self) -> str:
        """The key's public id: the start of its hash (the key itself is never shown again)."""
        return self.key_hash[:16]

    def allows(self, program: str, *, write: bool) -> bool:
        if self.revoked or (write and self.scope != "write"):
            return False
        return "*" in self.programs or program in self.programs


@dataclass
class DayCounts:
    clicks: int = 0
    unique_clicks: int = 0
    signups: int = 0
    purchases: int = 0
    revenue: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    held_signups: int = 0  # held for review, not yet decided
    held_purchases: int = 0


@dataclass(frozen=True)
class CounterMonth:
    """One counter item: a month (YYYY-MM) of one kind (CLICKS or CONVERSIONS) for a code.

    `values` holds the raw counters by attribute name; `counter_name` builds those names and
    `days` reads them back, so the naming scheme lives in this one place.
    """

    code: str
    kind: str
    month: str
    values: dict[str, Decimal]

    def days(self) -> dict[str, DayCounts]:
        days: dict[str, DayCounts] = {}
        for name, value in self.values.items():
            parsed = parse_counter_name(name)
            if parsed is None:
                continue
            letter, day, currency = parsed
            counts = days.setdefault(f"{self.month}-{day}", DayCounts())
            if letter == "c":
                counts.clicks += int(value)
            elif letter == "u":
                counts.unique_clicks += int(value)
            elif letter == "s":
                counts.signups += int(value)
            elif letter == "p":
                counts.purchases += int(value)
            elif letter == "r":
                counts.revenue[currency] += value
            elif letter == HELD_PURCHASE:
                counts.held_purchases += int(value)
            elif letter == HELD_SIGNUP:
                counts.held_signups += int(value)
        return days

    def channels(self) -> dict[str, int]:
        return {
            name[3:]: int(value) for name, value in self.values.items() if name.startswith("ch_")
        }

    def pages(self) -> dict[str, int]:
        """Clicks by named landing page (`?to=`); the main landing page is not named."""
        return {
            name[3:]: int(value) for name, value in self.values.items() if name.startswith("pg_")
        }


def counter_name(letter: str, day: str, currency: str = "") -> str:
    """c/u (clicks, unique clicks), s/p (signups, purchases), x/y (purchases, signups held
    for review) or r (revenue, with currency) for day DD of the item's month: 'c07',
    'r07_EUR'."""
    return f"{letter}{day}_{currency}" if currency else f"{letter}{day}"


def channel_name(channel: str) -> str:
    return f"ch_{channel}"


def page_name(page: str) -> str:
    return f"pg_{page}"


@dataclass(frozen=True)
class CustomerProfile:
    """A referred customer: the code that referred them, when they first bought, and how many
    purchases they made since (kept by the conversion transaction)."""

    program: str
    customer: str
    code: str
    first_at: float
    purchases: int


def parse_counter_name(name: str) -> tuple[str, str, str] | None:
    if len(name) < 3 or name[0] not in "cusprxy" or not name[1:3].isdigit():
        return None
    if name[0] == "r":
        return ("r", name[1:3], name[4:]) if name[3:4] == "_" else None
    return (name[0], name[1:3], "") if len(name) == 3 else None
