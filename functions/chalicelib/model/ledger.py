"""Records of the incentive engine, the same for both store twins: touchpoints, credit shares,
rewards, the coupon pool, the outbox of webhooks and emails, and the delivery log.

`ConversionEffects` is everything written in the same transaction as a conversion; when one
of its conditions fails, the store raises `EffectsRejectedError` saying which, and the domain
adjusts the plan and tries again (see domain/conversions/flow.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any

from .statuses import APPROVED as APPROVED
from .statuses import CLAWBACK as CLAWBACK
from .statuses import DELIVERED as DELIVERED
from .statuses import FAILED as FAILED
from .statuses import PAID as PAID
from .statuses import PENDING as PENDING
from .statuses import QUEUED as QUEUED
from .statuses import REWARD_STATUSES as REWARD_STATUSES
from .statuses import SKIPPED as SKIPPED
from .statuses import VOID as VOID

COUPON_POOL_EMPTY = "coupon_pool_empty"  # why a coupon reward is pending
UNCONFIRMED = "unconfirmed"  # why a browser-reported conversion's reward is pending
NEVER = 253402300799.0  # 9999-12-31: the approve_at of a reward only a confirmation approves
EMAIL_TARGET = "email"


@dataclass(frozen=True)
class Touch:
    """One counted click of a visitor on a code (a touchpoint for attribution)."""

    code: str
    at: float


@dataclass(frozen=True)
class Credit:
    """A code's share of a conversion (0 < share <= 1); shares of one conversion add to 1."""

    code: str
    share: Decimal
    revenue: Decimal = Decimal(0)


@dataclass(frozen=True)
class RewardRecord:
    """One reward, stored under its referrer's code. `side` is referrer, friend or tier."""

    reward_id: str
    program: str
    code: str
    side: str
    kind: str
    text: str
    status: str
    created_at: float
    approve_at: float
    updated_at: float
    order_id: str = ""
    event: str = ""
    tier_at: int = 0
    amount: Decimal | None = None
    currency: str = ""
    percent: Decimal | None = None
    points: int | None = None
    coupon: str = ""
    pool: str = ""
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("amount", "percent"):
            if data[name] is not None:
                data[name] = str(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RewardRecord:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("amount", "percent"):
            if values.get(name) is not None:
                values[name] = Decimal(str(values[name]))
        return cls(**values)


def rewards_to_text(rewards: tuple[RewardRecord, ...]) -> str:
    return json.dumps([reward.to_json() for reward in rewards], separators=(",", ":"))


def rewards_from_text(text: str) -> tuple[RewardRecord, ...]:
    return tuple(RewardRecord.from_json(item) for item in json.loads(text or "[]"))


def credits_to_text(credits: tuple[Credit, ...]) -> str:
    rows = [[c.code, str(c.share), str(c.revenue)] for c in credits]
    return json.dumps(rows, separators=(",", ":"))


def credits_from_text(text: str) -> tuple[Credit, ...]:
    return tuple(
        Credit(code, Decimal(share), Decimal(revenue))
        for code, share, revenue in json.loads(text or "[]")
    )


@dataclass(frozen=True)
class OutboxMessage:
    """A webhook delivery (target `webhook:{id}`) or an email (target `email`) waiting to
    go out. `body` is the webhook's JSON body, or the email's merge data as JSON."""

    event_id: str
    target: str
    program: str
    event_type: str
    body: str
    created_at: float
    next_at: float
    code: str = ""
    attempts: int = 0
    status: str = QUEUED
    lease_until: float = 0.0
    last_error: str = ""


@dataclass(frozen=True)
class LimitedMessage:
    """An outbox message queued only while `tally` is under its limit, counting it (at most
    so many emails to one address in a window)."""

    message: OutboxMessage
    tally: Tally


@dataclass(frozen=True)
class DeliveryAttempt:
    """One line of the delivery log a marketer reads with `referbee webhooks log`."""

    program: str
    event_id: str
    event_type: str
    target: str
    attempt: int
    at: float
    outcome: str  # delivered | retry | failed | skipped
    http_status: int = 0
    error: str = ""
    next_at: float = 0.0
    duration_ms: int = 0


@dataclass(frozen=True)
class CouponClaim:
    program: str
    pool: str
    coupon: str
    reward_id: str


@dataclass(frozen=True)
class LimitBump:
    """Count one more referral reward for `code`, unless a limit is reached."""

    code: str
    month: str
    per_referrer: int | None
    per_month: int | None


@dataclass(frozen=True)
class CountGuard:
    """A condition on the primary referrer's successful_referrals before this conversion
    adds one: `expected` (it crosses a tier here) or none of `avoid` (it crosses none)."""

    expected: int | None = None
    avoid: tuple[int, ...] = ()


@dataclass(frozen=True)
class Tally:
    """One more event counted towards a limit over a window (fraud rules and rate limits): a
    counter item per (program, rule, subject, window) that expires by TTL. With a `limit`, the
    write fails once the count has reached it; without, it only counts."""

    program: str
    rule: str  # e.g. velocity_referrer, duplicate_visitor, rate_convert
    subject: str  # a code, a visitor hash, an identity key, an admin key's hash
    window: str  # e.g. 2026-11-18T09 (an hour), 2026-11-18 (a day), m29916666 (a minute)
    limit: int | None
    expires_at: int


@dataclass(frozen=True)
class IdentityGuard:
    """Who is converting (hashed): the primary referrer must not be the same person."""

    identity: str = ""  # the customer's canonical email key
    visitor: str = ""


@dataclass(frozen=True)
class CustomerBump:
    """One more purchase of a referred customer: a new customer is created with the code
    that referred them and the time of this first purchase; a known one is counted on
    condition that they still have `before` purchases (a concurrent purchase changes that)."""

    customer: str
    code: str
    first_at: float
    before: int  # purchases already counted (0: a new customer)


@dataclass(frozen=True)
class ConversionEffects:
    rewards: tuple[RewardRecord, ...] = ()
    coupons: tuple[CouponClaim, ...] = ()
    limit: LimitBump | None = None
    first_purchase: str = ""  # the customer's key: written only by their first purchase
    count_guard: CountGuard | None = None
    messages: tuple[OutboxMessage, ...] = ()
    tallies: tuple[Tally, ...] = ()
    identity_guard: IdentityGuard | None = None
    customer: CustomerBump | None = None


@dataclass
class Rejection:
    """Which conditions of a ConversionEffects failed, and what the store saw instead."""

    rewards_taken: set[str] = field(default_factory=set)
    coupons_taken: set[str] = field(default_factory=set)
    foreign_codes: set[str] = field(default_factory=set)
    limit_reached: bool = False
    not_first_purchase: bool = False
    count: int | None = None
    tallies_over: set[str] = field(default_factory=set)  # rules whose tally is at its limit
    # The primary referrer's (identity, visitor) when their condition failed: the domain
    # tells a self-referral from a tier guard with it.
    primary_identity: tuple[str, str] | None = None
    customer_moved: bool = False  # the customer's purchase count is not what was assumed
    customer: tuple[str, float, int] | None = None  # what it is: (code, first_at, purchases)

    def __bool__(self) -> bool:
        return bool(
            self.rewards_taken
            or self.coupons_taken
            or self.foreign_codes
            or self.limit_reached
            or self.not_first_purchase
            or self.count is not None
            or self.tallies_over
            or self.primary_identity is not None
            or self.customer_moved
        )


class EffectsRejectedError(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(repr(rejection))
        self.rejection = rejection


@dataclass(frozen=True)
class RewardChange:
    """Move a reward from one status to another (conditional on `before`)."""

    reward: RewardRecord
    before: str
    coupon: CouponClaim | None = None


@dataclass(frozen=True)
class PoolCounts:
    available: int
    used: int
