"""A click the database answers late is written once and counted once.

The click path gives up on a slow database (a short read timeout) and redirects anyway; the
write it sent may still land. Sending it again would land a second touchpoint and count the
click twice: under `referbee dev`'s sustained load (a rollup transaction holding the embedded
database's lock past the timeout) 2,000 clicks were counted as 2,014 to 2,024."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.api import deps
from chalicelib.api.rollups import roll_up_records
from chalicelib.domain.analytics.stats import stats_view
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context, Links
from chalicelib.domain.referrals.clicks import KnownCodes, Redirect, record_click
from chalicelib.domain.referrals.referrers import issue_code
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.store.dynamo import DynamoStore
from referbee.devstack.db import EmbeddedDynamo
from referbee.devstack.streams import StreamReader
from tests.common import BROWSER, NOW, SECRET, config_document

TABLE = "referbee-dev"
READ_TIMEOUT = 2  # seconds: the API's DynamoDB clients' (api/deps.py)


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmbeddedDynamo]:
    db = EmbeddedDynamo(tmp_path / "data", TABLE)
    db.start()
    monkeypatch.setenv("REFERBEE_DYNAMODB_ENDPOINT", db.endpoint)
    deps.reset()
    try:
        yield db
    finally:
        deps.reset()
        db.stop()


def test_a_click_answered_after_the_timeout_is_one_touchpoint_and_one_click(
    embedded: EmbeddedDynamo,
) -> None:
    # The API's own clients: the click path's is the one that must not send a write twice.
    store = DynamoStore(deps.dynamodb_client(), TABLE, deps.dynamodb_client(retries=False))
    ctx = Context(store, parse_programs(config_document()), Signer(SECRET), FixedClock(NOW))
    referrer, _ = issue_code(ctx, "acme", {"email": "late@example.com"}, is_admin=True)
    reader = StreamReader(TABLE, start="LATEST", lock=embedded.lock)
    answered: list[Redirect | None] = []

    def click() -> None:
        known = KnownCodes()
        known.remember(referrer.code, "acme")
        answer = record_click(
            ctx, known, referrer.code, ip="198.51.100.7", user_agent=BROWSER, counted=True
        )
        answered.append(answer)

    clicking = threading.Thread(target=click)
    with embedded.lock:  # the database is busy past the click's timeout (as under a rollup)
        clicking.start()
        time.sleep(READ_TIMEOUT + 1.5)
    clicking.join(timeout=10)
    visitor = ctx.signer.visitor_hash("198.51.100.7", BROWSER)
    deadline = time.monotonic() + 5
    while not store.clicks.touchpoints(visitor) and time.monotonic() < deadline:
        time.sleep(0.05)  # the write the click gave up on lands once the database is free
    time.sleep(0.5)  # and a second one would have landed by now

    assert len(store.clicks.touchpoints(visitor)) == 1
    reader.drain(lambda records: roll_up_records(ctx, records))
    found = store.referrers.read_referrer_page(referrer.code)
    assert found is not None
    view = stats_view(found[0], found[1], Links(api_base="http://a", site_base="http://s"))
    assert (view["clicks"], view["unique_clicks"]) == (1, 1)
    assert answered and answered[0] is not None
    assert answered[0].degraded  # the visitor was redirected without waiting longer
