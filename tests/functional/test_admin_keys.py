"""Admin keys through the API: shown once, stored only as a hash, scoped to programs and to
read or write, revocable."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from chalicelib.store.dynamo import DynamoStore
from tests.common import OTHER_PROGRAM_KEY, READ_KEY
from tests.helpers import body_of, post_json
from tests.trust import AUTH, api_purchase, issue, scan_table, trust_api, trust_document


@pytest.fixture
def api(dynamo_store: DynamoStore) -> Any:
    with trust_api(dynamo_store, trust_document()) as (client, _):
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def create(api: Any, name: str, scope: str = "write", key: dict[str, str] = AUTH) -> Any:
    return post_json(api, "/v1/programs/shop/keys", {"name": name, "scope": scope}, key)


def test_a_new_key_is_shown_once_and_stored_only_as_its_hash(api: Any, dynamo_client: Any) -> None:
    response = create(api, "shop server")
    assert response.status_code == 201
    made = body_of(response)
    key = made["key"]
    assert key.startswith("rk_") and len(key) > 40
    digest = hashlib.sha256(key.encode()).hexdigest()
    assert made["id"] == digest[:16]
    items = scan_table(dynamo_client)
    assert not any(key in str(item) for item in items)
    stored = [i for i in items if i["PK"]["S"] == f"KEY#{digest}"]
    assert len(stored) == 1 and stored[0]["key_hash"]["S"] == digest
    listed = body_of(api.http.get("/v1/programs/shop/keys", headers=AUTH))["keys"]
    mine = next(k for k in listed if k["id"] == made["id"])
    assert mine == {
        "id": made["id"],
        "name": "shop server",
        "programs": ["shop"],
        "scope": "write",
        "created_at": mine["created_at"],
        "revoked": False,
        "created_by": "test",
    }
    assert not any("key" in k for k in listed)
    # The new key works for its program only.
    code = issue(api)["code"]
    assert api_purchase(api, code, "k1").status_code != 401
    assert post_json(api, "/v1/programs/shop/conversions", {}, bearer(key)).status_code == 400
    acme = post_json(api, "/v1/programs/acme/conversions", {"event": "signup"}, bearer(key))
    assert acme.status_code == 403


def test_a_revoked_key_fails_at_once(api: Any) -> None:
    made = body_of(create(api, "old laptop"))
    assert api.http.get("/v1/programs/shop/rewards", headers=bearer(made["key"])).status_code == 200
    revoked = post_json(api, f"/v1/programs/shop/keys/{made['id']}/revoke", {}, AUTH)
    assert revoked.status_code == 200 and body_of(revoked)["revoked"] is True
    for path in ("/v1/programs/shop/rewards", "/v1/programs/shop/reviews"):
        answer = api.http.get(path, headers=bearer(made["key"]))
        assert answer.status_code == 401
        assert "revoked" in body_of(answer)["error"]
    listed = body_of(api.http.get("/v1/programs/shop/keys", headers=AUTH))["keys"]
    assert next(k for k in listed if k["id"] == made["id"])["revoked"] is True


def test_read_only_keys_cannot_write(api: Any) -> None:
    read = body_of(create(api, "analyst", scope="read"))["key"]
    code = issue(api)["code"]
    purchase = {"event": "purchase", "order_id": "r1", "amount": 5, "ref": code}
    for key in (read, READ_KEY):
        assert api.http.get("/v1/programs/shop/rewards", headers=bearer(key)).status_code == 200
        answer = post_json(api, "/v1/programs/shop/conversions", purchase, bearer(key))
        assert answer.status_code == 403
        assert create(api, "escalation", key=bearer(key)).status_code == 403
        assert api.http.get("/v1/programs/shop/keys", headers=bearer(key)).status_code == 403
        forget = post_json(api, "/v1/programs/shop/people/forget", {"email": "a@b.co"}, bearer(key))
        assert forget.status_code == 403


def test_keys_of_another_program_are_refused(api: Any) -> None:
    other = bearer(OTHER_PROGRAM_KEY)
    assert create(api, "intruder", key=other).status_code == 403
    assert api.http.get("/v1/programs/shop/keys", headers=other).status_code == 403
    mine = body_of(create(api, "shop only"))
    # acme's key cannot revoke shop's key, not even through its own program's route.
    acme_revoke = post_json(api, f"/v1/programs/acme/keys/{mine['id']}/revoke", {}, other)
    assert acme_revoke.status_code == 404
    assert (
        post_json(api, f"/v1/programs/shop/keys/{mine['id']}/revoke", {}, other).status_code == 403
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 61},
        {"name": "\x1d" + "x" * 60},  # 61 characters, one of them a control character
        {"name": "ok", "scope": "admin"},
        {"name": 5},
    ],
)
def test_bad_key_requests(api: Any, body: dict[str, Any]) -> None:
    response = post_json(api, "/v1/programs/shop/keys", body, AUTH)
    assert response.status_code == 400
    assert body_of(response)["error"]


@pytest.mark.parametrize("key_id", ["zz", "0123", "ffffffffffffffff"])
def test_revoking_an_unknown_key(api: Any, key_id: str) -> None:
    response = post_json(api, f"/v1/programs/shop/keys/{key_id}/revoke", {}, AUTH)
    assert response.status_code in (400, 404)
