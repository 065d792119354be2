"""Rate limits: per visitor hash on issuance, browser conversions and stats; per admin key on
the conversions API. Issuance and conversions count fixed one-minute windows in DynamoDB items
that expire by TTL, so their limits hold across every Lambda container; conversions count
inside their own transaction (no extra request), issuance pays one UpdateItem.

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


class BurstLimiter:
    """Fixed one-minute windows per subject, counted in this process: a burst from one
    visitor at one container is refused past the program's limit. Bounded: the subjects
    least recently seen are forgotten first (and may then start a window afresh)."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._windows: OrderedDict[tuple[str, str], tuple[int, int]] = OrderedDict()

    def check(self, clock: Clock, program: Program, route: str, subject: str) -> None:
        """Count this request; RateLimitedError (429) past the program's limit."""
        now = clock.now()
        window = int(now) // WINDOW
        key = (route, subject)
        started, hits = self._windows.pop(key, (window, 0))
        hits = hits + 1 if started == window else 1
        self._windows[key] = (window, hits)
        if len(self._windows) > self._size:
            self._windows.popitem(last=False)
        if hits > program.rate_limits.per_minute(route):
            raise too_many(now)
