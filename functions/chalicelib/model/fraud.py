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
    velocity: Velocity | None = field(default_factory=Velocity)
    disposable_email: DisposableEmail | None = field(default_factory=DisposableEmail)
    bots: bool = True
    require_click: bool = False
    # The pixel and beacon must carry an HMAC under the program's identity_secret (which
    # deploys keep in SSM, like every secret) over the event, order id and amount.
    signed_conversions: bool = False


# How much a conversion reported by a visitor's browser (the pixel, the beacon) is believed:
# `pending` (the default): its rewards wait for a trusted report of the same order (the
# conversions API with a key, a signed conversion, a Stripe or Shopify webhook);
# `approve_after_hold`: or for the hold period to pass without a refund; `trusted`: it earns
# like a trusted report (anyone who sees a referral link can then mint rewards).
BROWSER_PENDING = "pending"
BROWSER_AFTER_HOLD = "approve_after_hold"
BROWSER_TRUSTED = "trusted"
BROWSER_CONVERSIONS = (BROWSER_PENDING, BROWSER_AFTER_HOLD, BROWSER_TRUSTED)
# What names the referrer of a browser conversion: `click` (the default), a click the
# redirect counted (its click id, or the visitor's own touchpoint); `ref`, a bare code too.
REFERRALS_BY_CLICK = "click"
REFERRALS_BY_REF = "ref"
BROWSER_REFERRALS = (REFERRALS_BY_CLICK, REFERRALS_BY_REF)


@dataclass(frozen=True)
class TrustRules:
    """What the browser paths (pixel, beacon), which anyone can call, may do (`trust:`)."""

    browser_conversions: str = BROWSER_PENDING
    browser_referrals: str = REFERRALS_BY_CLICK

    @property
    def browser_pending(self) -> bool:
        """A browser conversion's rewards wait for confirmation (or the hold)."""
        return self.browser_conversions != BROWSER_TRUSTED


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
