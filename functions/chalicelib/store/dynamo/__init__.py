"""The DynamoDB store: every access pattern is one request in the common case.

One class per capability of the Store protocol (model/store.py), each in its own module and
each given the same Table (shared.py): its name, its clients, and what the capabilities share.
Uses the low-level client (not the resource layer): less import time on a cold start and less
per-request work on the hot paths.
"""

from __future__ import annotations

from ..attrs import Client
from .admin_keys import DynamoAdminKeys
from .clicks import DynamoClicks
from .conversions import DynamoConversions
from .coupons import DynamoCoupons
from .limits import DynamoLimits
from .metering import RequestMeter
from .outbox import DynamoOutbox
from .privacy import DynamoPrivacy
from .referrers import DynamoReferrers
from .reviews import DynamoReviews
from .rewards import DynamoRewards
from .rollups import DynamoRollups
from .shared import Table
from .signins import DynamoSignins


class DynamoStore:
    """The Store protocol on one table: `click_client` serves the click path and should not
    retry (see shared.Table); `requests` counts what both clients sent."""

    def __init__(self, client: Client, table: str, click_client: Client | None = None) -> None:
        shared = Table(client, table, click_client)
        self.clients: tuple[Client, ...] = (
            (client,) if shared.click_client is client else (client, shared.click_client)
        )
        self.meter = RequestMeter(self.clients)
        self.referrers = DynamoReferrers(shared)
        self.clicks = DynamoClicks(shared)
        self.conversions = DynamoConversions(shared)
        self.reviews = DynamoReviews(shared)
        self.rewards = DynamoRewards(shared)
        self.coupons = DynamoCoupons(shared)
        self.outbox = DynamoOutbox(shared)
        self.admin_keys = DynamoAdminKeys(shared)
        self.limits = DynamoLimits(shared)
        self.privacy = DynamoPrivacy(shared)
        self.rollups = DynamoRollups(shared)
        self.signins = DynamoSignins(shared)

    @property
    def requests(self) -> int:
        """Requests sent so far through this store's clients."""
        return self.meter.total
