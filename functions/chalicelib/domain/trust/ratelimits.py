"""Rate limits: per visitor hash on issuance, browser conversions and stats; per admin key on
the conversions API. Fixed one-minute windows counted in DynamoDB items that expire by TTL,
so a limit holds across every Lambda container. Conversions count inside their own
transaction (no extra request); issuance and stats pay one UpdateItem each.
"""

from __future__ import annotations

from ...model.clock import Clock
from ...model.errors import RateLimitedError
from ...model.ledger import Tally
from ...model.program import Program
from ...model.store import Store

WINDOW = 60


def rate_tally(program: Program, route: str, subject: str, now: float) -> Tally:
    """The window counter of `route` for `subject`, conditional on the program's limit."""
    return Tally(
        program.id,
        f"rate_{route}",
        subject,
        f"{WINDOW}:{int(now) // WINDOW}",
        program.rate_limits.per_minute(route),
        int(now) + 2 * WINDOW,
    )


def retry_after(now: float) -> int:
    """Seconds until the current window ends (at least 1)."""
    return max(1, WINDOW - int(now) % WINDOW)


def too_many(now: float) -> RateLimitedError:
    return RateLimitedError(
        "Too many requests; please wait a moment and try again.", retry_after(now)
    )


def check_rate(store: Store, clock: Clock, program: Program, route: str, subject: str) -> None:
    """Count this request; RateLimitedError (429) past the program's limit."""
    if not subject:
        return
    now = clock.now()
    tally = rate_tally(program, route, subject, now)
    counted = Tally(tally.program, tally.rule, subject, tally.window, None, tally.expires_at)
    if store.limits.hit_rate(counted) > program.rate_limits.per_minute(route):
        raise too_many(now)
