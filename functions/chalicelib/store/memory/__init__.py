"""The in-memory twin of the DynamoDB store, for unit tests and handler benchmarks.

Same contract (tests/unit/store_contract/ runs one suite against both), same files, one class
per capability composed the same way; one lock stands in for DynamoDB's conditional writes and
transactions, and no request leaves the process: `requests` counts what the DynamoDB twin
would have sent (store/memory/metering.py).
"""

from __future__ import annotations

from ...model.analytics import ChangeBatch, ChangeRecord
from .admin_keys import MemoryAdminKeys
from .clicks import MemoryClicks
from .conversions import MemoryConversions
from .coupons import MemoryCoupons
from .limits import MemoryLimits
from .outbox import MemoryOutbox
from .payments import MemoryPayments
from .privacy import MemoryPrivacy
from .referrers import MemoryReferrers
from .reviews import MemoryReviews
from .rewards import MemoryRewards
from .rollups import MemoryRollups
from .shared import State
from .signins import MemorySignins


class MemoryStore:
    def __init__(self) -> None:
        self._state = State()
        self.referrers = MemoryReferrers(self._state)
        self.clicks = MemoryClicks(self._state)
        self.conversions = MemoryConversions(self._state)
        self.reviews = MemoryReviews(self._state)
        self.rewards = MemoryRewards(self._state)
        self.coupons = MemoryCoupons(self._state)
        self.outbox = MemoryOutbox(self._state)
        self.admin_keys = MemoryAdminKeys(self._state)
        self.limits = MemoryLimits(self._state)
        self.privacy = MemoryPrivacy(self._state)
        self.rollups = MemoryRollups(self._state)
        self.payments = MemoryPayments(self._state)
        self.signins = MemorySignins(self._state)

    def take_changes(self) -> ChangeBatch | None:
        """The changes written since the last call, as one batch of the table's stream
        would deliver them (None: no change waiting). This twin feeds counted clicks only."""
        state = self._state
        with state.lock:
            changes, state.feed = state.feed, []
            first, state.fed = state.fed, state.fed + len(changes)
        if not changes:
            return None
        records = tuple(ChangeRecord(str(first + i + 1), c) for i, c in enumerate(changes))
        return ChangeBatch(f"memory-{first + 1}", records)

    @property
    def requests(self) -> int:
        """What the DynamoDB twin would have sent so far (store/memory/metering.py)."""
        return self._state.requests
