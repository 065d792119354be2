"""Rotating a stats token with a write key: by email or by code, the new token works and every
older one stops, and trusted issuance answers with the new one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.common import ADMIN_KEY, OTHER_PROGRAM_KEY, READ_KEY
from tests.helpers import body_of, new_referrer, post_json

ROTATE = "/v1/programs/shop/referrers/rotate-token"


def rotate(api: Any, body: Any, key: str = ADMIN_KEY, path: str = ROTATE) -> Any:
    return post_json(api, path, body, {"authorization": f"Bearer {key}"})


def stats_status(api: Any, token: str) -> int:
    return int(api.http.get(f"/v1/stats/{token}").status_code)


def test_a_rotated_token_replaces_the_old_one(api: Any) -> None:
    jane = new_referrer(api)
    first = rotate(api, {"email": "Jane@Example.com"})
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    rotated = body_of(first)
    assert set(rotated) == {"code", "stats_token", "stats_url"}
    assert rotated["code"] == jane["code"] and rotated["stats_token"] != jane["stats_token"]
    assert rotated["stats_url"] == f"https://refer.example.net/stats/?t={rotated['stats_token']}"
    assert stats_status(api, jane["stats_token"]) == 404
    assert stats_status(api, rotated["stats_token"]) == 200
    again = body_of(rotate(api, {"ref": jane["code"].upper()}))
    assert stats_status(api, rotated["stats_token"]) == 404
    assert stats_status(api, again["stats_token"]) == 200
    issued = post_json(
        api,
        "/v1/programs/shop/referrers",
        {"email": "jane@example.com"},
        {"authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert body_of(issued)["stats_token"] == again["stats_token"]


def test_other_referrers_keep_their_tokens(api: Any) -> None:
    jane, kim = new_referrer(api), new_referrer(api, "kim@example.com")
    rotate(api, {"email": "jane@example.com"})
    assert stats_status(api, kim["stats_token"]) == 200
    assert stats_status(api, jane["stats_token"]) == 404


@pytest.mark.parametrize(
    ("body", "key", "status", "message"),
    [
        ({"email": "jane@example.com"}, READ_KEY, 403, "may not write to program 'shop'"),
        ({"email": "jane@example.com"}, OTHER_PROGRAM_KEY, 403, "may not write"),
        ({"email": "jane@example.com"}, "rk_nope", 401, "not valid"),
        ({"email": "nobody@example.com"}, ADMIN_KEY, 404, "no referrer with this email"),
        ({"ref": "zzz2345"}, ADMIN_KEY, 404, "no referral code 'zzz2345'"),
        ({"ref": "<x>"}, ADMIN_KEY, 400, "'ref' must be a referral code"),
        ({"ref": 5}, ADMIN_KEY, 400, "'ref' must be a referral code"),
        ({}, ADMIN_KEY, 400, "either 'email' or 'ref'"),
        ({"email": "jane@example.com", "ref": "x"}, ADMIN_KEY, 400, "either 'email' or 'ref'"),
        ({"email": "jane@example.com", "ref": None}, ADMIN_KEY, 400, "either 'email' or 'ref'"),
        ({"email": None}, ADMIN_KEY, 400, "'email' is required and must be text"),
        ({"ref": None}, ADMIN_KEY, 400, "'ref' must be a referral code"),
        ({"email": "not an email"}, ADMIN_KEY, 400, "not a valid address"),
        ({"code": "abc"}, ADMIN_KEY, 400, "Unknown field 'code'"),
    ],
)
def test_bad_rotations_get_clear_errors_and_change_nothing(
    api: Any, body: Any, key: str, status: int, message: str
) -> None:
    jane = new_referrer(api)
    answer = rotate(api, body, key)
    assert answer.status_code == status
    assert message in body_of(answer)["error"]
    assert stats_status(api, jane["stats_token"]) == 200


def test_another_programs_code_is_not_found(api: Any) -> None:
    acme = post_json(
        api,
        "/v1/programs/acme/referrers",
        {"email": "jane@example.com"},
        {"authorization": f"Bearer {ADMIN_KEY}"},
    )
    answer = rotate(api, {"ref": body_of(acme)["code"]})
    assert answer.status_code == 404
    assert stats_status(api, body_of(acme)["stats_token"]) == 200
