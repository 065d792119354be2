"""Conversions held for review are seen, not lost: the referrer's stats say how many of their
purchases are being checked (never why), the program's report counts them by the rule that
held them, and a person's decision takes them out of both."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console

from chalicelib.store.dynamo import DynamoStore
from referbee.report.table import print_report
from tests.helpers import body_of, post_json
from tests.rollups import roll_up_stream, stream_reader
from tests.trust import AUTH, api_purchase, issue, stats_of, trust_api, trust_document


@pytest.fixture
def world(dynamo_store: DynamoStore) -> Iterator[tuple[Any, Any, Any]]:
    reader = stream_reader()
    with trust_api(dynamo_store, trust_document({"self_referral": True})) as (api, ctx):
        yield api, ctx, reader


def report(api: Any, ctx: Any, reader: Any) -> dict[str, Any]:
    roll_up_stream(ctx, reader)
    response = api.http.get("/v1/programs/shop/analytics?since=7d", headers=AUTH)
    assert response.status_code == 200, response.body
    return dict(body_of(response))


def held(api: Any, ctx: Any, reader: Any) -> dict[str, Any]:
    return dict(report(api, ctx, reader)["held_for_review"])


def printed(body: dict[str, Any]) -> str:
    console = Console(width=160, record=True, file=io.StringIO())
    print_report(body, console)
    return console.export_text()


def test_held_purchases_are_counted_for_the_referrer_and_by_reason_until_decided(
    world: tuple[Any, Any, Any],
) -> None:
    api, ctx, reader = world
    jane = issue(api, "jane@gmail.com")
    for order in ("1001", "1002"):  # Jane buys through her own link, twice
        bought = api_purchase(api, jane["code"], order, email="jane+me@gmail.com")
        assert body_of(bought)["status"] == "review"

    stats = stats_of(api, jane)
    assert stats["checking"] == {"signups": 0, "purchases": 2}
    assert stats["purchases"] == 0
    assert "self_referral" not in json.dumps(stats)  # the referrer never reads why
    assert held(api, ctx, reader) == {
        "signups": 0,
        "purchases": 2,
        "reasons": [
            {"name": "self_referral:email", "label": "Same email as the referrer", "count": 2}
        ],
    }
    text = printed(report(api, ctx, reader))
    assert "Held for review: 2 purchases (referbee review list)" in text
    assert re.search(r"│ Same email as the referrer\s+│\s+2 │", text), text

    approved = post_json(api, "/v1/programs/shop/reviews/purchase:1001/approve", {}, AUTH)
    assert approved.status_code == 200, approved.body
    reason = {"reason": "her own order"}
    rejected = post_json(api, "/v1/programs/shop/reviews/purchase:1002/reject", reason, AUTH)
    assert rejected.status_code == 200, rejected.body

    stats = stats_of(api, jane)
    assert (stats["checking"], stats["purchases"]) == ({"signups": 0, "purchases": 0}, 1)
    assert held(api, ctx, reader) == {"signups": 0, "purchases": 0, "reasons": []}
    assert "Held for review" not in printed(report(api, ctx, reader))
