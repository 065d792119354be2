"""A program's fraud rules and rate limits, as configured (docs/fraud.md explains each rule)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DuplicateIdentity:
    """At most `max_per_identity` conversions of one event per visitor, email or customer
    within `days`; more go to review."""

    max_per_identity: int = 1
    days: int = 30


@dataclass(frozen=True)
class Velocity:
    per_referrer_per_hour: int | None = 20
    per_visitor_per_day: int | None = 5


@dataclass(frozen=True)
class DisposableEmail:
    """The maintained list of the `disposable-email-domains` package, plus `block`, minus
    `allow` (both from referbee.yaml: updatable without a code change)."""

    block: frozenset[str] = frozenset()
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FraudRules:
    self_referral: bool = True
    duplicate_identity: DuplicateIdentity | None = None
    velocity: Velocity | None = None
    disposable_email: DisposableEmail | None = field(default_factory=DisposableEmail)
    bots: bool = True
    require_click: bool = False
    # The pixel and beacon must carry an HMAC under the program's identity_secret (which
    # deploys keep in SSM, like every secret) over the event, order id and amount.
    signed_conversions: bool = False


@dataclass(frozen=True)
class RateLimits:
    """Requests per minute: per visitor for issuance (`issue`), browser conversions
    (`convert`: pixel and beacon) and stats; per admin key for the conversions API (`api`).
    Per hour: sign-in links asked for one email address (`signin_email`) and by one client
    address (`signin_client`), and stats-link emails sent to one address when someone joins
    with it (`join_email`)."""

    issue: int = 60
    convert: int = 30
    api: int = 1200
    stats: int = 120
    signin_email: int = 5
    signin_client: int = 20
    join_email: int = 3

    def limit(self, route: str) -> int:
        """How many requests of `route` one subject may make in one window."""
        return int(getattr(self, route))

    def window(self, route: str) -> int:
        """The length of `route`'s window, in seconds."""
        return 3600 if route in HOURLY else 60


HOURLY = frozenset({"signin_email", "signin_client", "join_email"})
