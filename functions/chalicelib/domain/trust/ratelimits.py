"""Rate limits: per visitor hash on issuance, browser conversions and stats; per admin key on
the conversions API; per email address and per client address on sign-in links; per email
address on the stats-link emails of anonymous issuance. Fixed windows (a minute, or an hour
for the email routes: RateLimits.window) counted in DynamoDB items that expire by TTL, so a
limit holds across every Lambda container. Conversions count inside their own transaction (no
extra request), and so do join emails; issuance, stats and sign-in pay one UpdateItem each.
"""

from __future__ import annotations

from ...model.clock import Clock
from ...model.errors import RateLimitedError
from ...model.ledger import Tally
from ...model.program import Program
from ...model.store import Store

WINDOW = 60
ADDRESS_ROUTES = ("signin_email", "join_email")  # counted per email address (its keyed hash)


def rate_tally(program: Program, route: str, subject: str, now: float) -> Tally:
    """The window counter of `route` for `subject`, conditional on the program's limit."""
    window = program.rate_limits.window(route)
    return Tally(
        program.id,
        f"rate_{route}",
        subject,
        f"{window}:{int(now) // window}",
        program.rate_limits.limit(route),
        int(now) + 2 * window,
    )


def retry_after(now: float, window: int = WINDOW) -> int:
    """Seconds until the current window ends (at least 1)."""
    return max(1, window - int(now) % window)


def too_many(now: float, window: int = WINDOW) -> RateLimitedError:
    wait = "a moment" if window <= WINDOW else "a while"
    return RateLimitedError(
        f"Too many requests; please wait {wait} and try again.", retry_after(now, window)
    )


def check_rate(store: Store, clock: Clock, program: Program, route: str, subject: str) -> None:
    """Count this request; RateLimitedError (429) past the program's limit."""
    if not subject:
        return
    now = clock.now()
    tally = rate_tally(program, route, subject, now)
    counted = Tally(tally.program, tally.rule, subject, tally.window, None, tally.expires_at)
    if store.limits.hit_rate(counted) > program.rate_limits.limit(route):
        raise too_many(now, program.rate_limits.window(route))


def address_tallies(program: Program, email_key: str, now: float) -> list[Tally]:
    """Every window of the limits counted per email address that may still exist at `now`
    (the current one and the one before, which lives on until its TTL): what forgetting the
    address erases."""
    found = []
    for route in ADDRESS_ROUTES:
        window = program.rate_limits.window(route)
        for at in (now, now - window):
            found.append(rate_tally(program, route, email_key, at))
    return found
