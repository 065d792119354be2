"""The pixel, the beacon and the conversions API record a conversion through one recorder, so
what it issued is reported the same way whichever path brought it."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.model.program import Catalogue
from tests.common import ADMIN_KEY, BROWSER
from tests.helpers import post_json
from tests.incentives import add_referrer, incentive_document

CODE = "abc2345"


@pytest.fixture
def catalogue() -> Catalogue:
    """The "beans" program, whose friend reward is a coupon from a pool left empty. Its
    browser paths are trusted and take a bare ref, so each path issues the coupon reward at
    once (by default a browser's claim draws no coupon until it is confirmed)."""
    trust = {"browser_conversions": "trusted", "browser_referrals": "ref"}
    return parse_programs(incentive_document(trust=trust))


@pytest.fixture(autouse=True)
def referrer(dynamo_ctx: Context) -> None:
    add_referrer(dynamo_ctx, CODE)


@pytest.fixture
def output(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> Any:
    """Metrics on (EMF lines on stdout, as in Lambda); returns a reader of what was reported
    since the last read: (metric names, warnings logged)."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")

    def read() -> tuple[list[str], list[str]]:
        names: list[str] = []
        for line in capsys.readouterr().out.splitlines():
            if line.startswith("{") and '"_aws"' in line:
                record = json.loads(line)
                names += [m["Name"] for m in record["_aws"]["CloudWatchMetrics"][0]["Metrics"]]
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        caplog.clear()
        return names, warnings

    return read


def by_pixel(api: Any, order: str) -> int:
    query = urlencode(
        {"program": "beans", "event": "purchase", "order": order, "amount": 30, "ref": CODE}
    )
    response = api.http.get(f"/p.gif?{query}", headers={"user-agent": BROWSER})
    assert response.body.startswith(b"GIF8")
    return int(response.status_code)


def by_beacon(api: Any, order: str) -> int:
    body = {"event": "purchase", "order_id": order, "amount": 30, "ref": CODE}
    response = api.http.post(
        "/v1/programs/beans/beacon",
        body=json.dumps(body).encode(),
        headers={"content-type": "text/plain", "user-agent": BROWSER},
    )
    return int(response.status_code)


def by_api(api: Any, order: str) -> int:
    body = {"event": "purchase", "order_id": order, "amount": 30, "ref": CODE}
    auth = {"authorization": f"Bearer {ADMIN_KEY}"}
    return int(post_json(api, "/v1/programs/beans/conversions", body, auth).status_code)


@pytest.mark.parametrize("send", [by_pixel, by_beacon, by_api], ids=["pixel", "beacon", "api"])
def test_an_empty_coupon_pool_is_reported_whichever_path_brought_the_conversion(
    api: Any, output: Any, send: Any
) -> None:
    output()
    assert send(api, "o1") in (200, 201)
    names, warnings = output()
    assert names.count("CouponPoolEmpty") == 1
    assert "RewardsIssued" in names and "Conversions" in names
    assert warnings == ["coupon pool is empty: reward is pending"]
    assert send(api, "o1") in (200, 201)  # a repeat issues nothing, so reports nothing
    names, warnings = output()
    assert "CouponPoolEmpty" not in names and "RewardsIssued" not in names
    assert warnings == []
