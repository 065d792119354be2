"""Rate limits: per visitor hash on issuance, browser conversions and stats; per admin key on
the conversions API; per email address and per client address on sign-in links; per email
address on the stats-link emails of anonymous issuance. Fixed windows (a minute, or an hour
for the email routes: RateLimits.window) counted in DynamoDB items that expire by TTL, so a
limit holds across every Lambda container. Conversions count inside their own transaction (no
extra request), and so do join emails; issuance and sign-in pay one UpdateItem each.

The stats view only reads, behind a token nobody can guess or forge, so it is limited in the
process instead (BurstLimiter, no request at all); the stage's throttling in front of it
bounds the total (docs/security.md says what each defends against).
"""

from __future__ import annotations

from collections import OrderedDict

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


class BurstLimiter:
    """Fixed windows per subject (RateLimits.window), counted in this process: a burst from
    one visitor at one container is refused past the program's limit. Bounded: the subjects
    least recently seen are forgotten first (and may then start a window afresh)."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._windows: OrderedDict[tuple[str, str], tuple[int, int]] = OrderedDict()

    def check(self, clock: Clock, program: Program, route: str, subject: str) -> None:
        """Count this request; RateLimitedError (429) past the program's limit."""
        now = clock.now()
        length = program.rate_limits.window(route)
        window = int(now) // length
        key = (route, subject)
        started, hits = self._windows.pop(key, (window, 0))
        hits = hits + 1 if started == window else 1
        self._windows[key] = (window, hits)
        if len(self._windows) > self._size:
            self._windows.popitem(last=False)
        if hits > program.rate_limits.limit(route):
            raise too_many(now, length)
