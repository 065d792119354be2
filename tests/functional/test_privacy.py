"""Forget and export: after `forget`, a scan of the whole table finds no trace of the person
(their email, name, or any keyed hash of them), while every counter keeps its value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.api import schedule
from chalicelib.domain.trust.lookalikes import canonical_email
from chalicelib.store.dynamo import DynamoStore
from tests.common import BROWSER, READ_KEY
from tests.helpers import body_of, click, post_json
from tests.trust import AUTH, api_purchase, beacon, issue, scan_table, trust_api, trust_document

JANE = "Jane.Doe@Example.com"


@pytest.fixture
def world(dynamo_store: DynamoStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("REFERBEE_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setenv("REFERBEE_SITE_URL", "https://refer.example.net")
    document = trust_document({"duplicate_identity": True})
    del document["programs"][0]["webhooks"]
    with trust_api(dynamo_store, document) as found:
        yield found


def traces(ctx: Any, email: str) -> set[str]:
    """Every form the person's data can take in the table."""
    normalized = email.lower()
    return {
        normalized,
        "Jane Doe",
        ctx.signer.email_key("shop", normalized),
        ctx.signer.identity_key("shop", canonical_email(email)),
        ctx.signer.customer_key("shop", normalized),
        ctx.signer.customer_key("shop", email),
    }


def found_in(items: list[dict[str, Any]], needles: set[str]) -> list[str]:
    text = json.dumps(items).lower()
    return sorted(n for n in needles if n.lower() in text)


def counters(items: list[dict[str, Any]]) -> dict[str, Any]:
    kept = {}
    for item in items:
        sk = item["SK"]["S"]
        if sk.startswith(("CLICKS#", "CONV#")) or sk == "LIMITS":
            kept[item["PK"]["S"] + sk] = {k: v for k, v in item.items() if "N" in v}
        if sk == "META" and item["PK"]["S"].startswith("CODE#"):
            kept[item["PK"]["S"]] = item.get("successful_referrals")
    return kept


def build_history(api: Any, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Jane refers Kim (who buys), is referred by Kim herself (as a customer, by email), and
    one of her own orders is flagged; reward emails go out as .eml files."""
    jane = issue(api, JANE)
    kim = issue(api, "kim@example.com", agent=BROWSER + " (kim)", name="Kim Lee")
    click(api, jane["code"], ua=BROWSER + " (friend)")
    assert api_purchase(api, jane["code"], "k1", email="kim@example.com").status_code == 201
    assert (
        api_purchase(api, kim["code"], "j1", email="jane.doe+shop@example.com").status_code == 201
    )
    flagged = api_purchase(api, kim["code"], "j2", customer_id="JANE.DOE@example.com")
    assert body_of(flagged)["status"] == "review"
    beacon(api, {"event": "signup", "order_id": "s1", "ref": jane["code"]})
    schedule.run_scheduled()
    emails = list((tmp_path / "outbox").glob("*.eml"))
    assert any("jane.doe@example.com" in p.read_text().lower() for p in emails)
    return jane, kim


def test_forget_leaves_no_trace_and_keeps_every_counter(
    world: Any, dynamo_client: Any, tmp_path: Path
) -> None:
    api, ctx = world
    jane, _ = build_history(api, tmp_path)
    before = scan_table(dynamo_client)
    assert found_in(before, traces(ctx, JANE))  # the test can see her
    response = post_json(api, "/v1/programs/shop/people/forget", {"email": JANE}, AUTH)
    assert response.status_code == 200, response.body
    summary = body_of(response)
    assert summary["referrer"] == jane["code"]
    assert summary["conversions"] == 2
    after = scan_table(dynamo_client)
    assert found_in(after, traces(ctx, JANE)) == []
    assert counters(after) == counters(before)
    assert not any(
        "jane.doe@example.com" in p.read_text().lower() for p in (tmp_path / "outbox").glob("*.eml")
    )
    # Kim's data is untouched; Jane's code still counts, anonymously.
    assert found_in(after, {"kim@example.com"}) == ["kim@example.com"]
    assert api.http.get(f"/v1/stats/{jane['stats_token']}").status_code == 404
    assert (
        post_json(api, "/v1/programs/shop/people/forget", {"email": JANE}, AUTH).status_code == 200
    )


def test_export_returns_everything_held_about_the_person(world: Any, tmp_path: Path) -> None:
    api, _ = world
    jane, _ = build_history(api, tmp_path)
    key = {"authorization": f"Bearer {READ_KEY}"}
    response = post_json(api, "/v1/programs/shop/people/export", {"email": JANE}, key)
    assert response.status_code == 200
    data = body_of(response)
    assert data["email"] == "jane.doe@example.com"
    referrer = data["referrer"]
    assert (referrer["email"], referrer["name"]) == ("jane.doe@example.com", "Jane Doe")
    assert referrer["stats"]["code"] == jane["code"]
    assert referrer["stats"]["purchases"] == 1
    assert [r["side"] for r in referrer["rewards"]] == ["friend", "referrer"] or referrer["rewards"]
    as_customer = sorted(c["order_id"] for c in data["conversions_as_customer"])
    assert as_customer == ["j1", "j2"]
    nobody = post_json(api, "/v1/programs/shop/people/export", {"email": "no@one.org"}, key)
    assert body_of(nobody) == {
        "program": "shop",
        "email": "no@one.org",
        "referrer": None,
        "conversions_as_customer": [],
    }


@pytest.mark.parametrize("body", [{}, {"email": "not an email"}, {"email": 5}, {"who": "x"}])
def test_bad_privacy_requests(world: Any, body: dict[str, Any]) -> None:
    api, _ = world
    for action in ("forget", "export"):
        response = post_json(api, f"/v1/programs/shop/people/{action}", body, AUTH)
        assert response.status_code == 400
