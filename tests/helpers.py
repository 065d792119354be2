"""Small helpers for driving the API in tests."""

from __future__ import annotations

import json
from typing import Any

from .common import ADMIN_KEY, BROWSER


def post_json(api: Any, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return api.http.post(
        path, body=raw, headers={"content-type": "application/json", **(headers or {})}
    )


def body_of(response: Any) -> Any:
    return json.loads(response.body)


# The referrer asks for their code in their own browser; the friends who convert use others
# (the same browser on both sides is what the self-referral rule flags).
REFERRER_BROWSER = BROWSER + " (referrer)"


def new_referrer(
    api: Any, email: str = "jane@example.com", program: str = "shop", **extra: Any
) -> dict[str, Any]:
    """The referrer joins from their own browser; a program without identity_secret answers
    a browser without the stats token, which is then asked for as the shop's server would,
    with an admin key (tests/functional/test_joining.py covers the browser's answer)."""
    path = f"/v1/programs/{program}/referrers"
    response = post_json(
        api, path, {"email": email, "name": "Jane Doe", **extra}, {"user-agent": REFERRER_BROWSER}
    )
    assert response.status_code in (200, 201), response.body
    joined = body_of(response)
    if "stats_token" in joined:
        return joined
    trusted = post_json(api, path, {"email": email}, {"authorization": f"Bearer {ADMIN_KEY}"})
    assert trusted.status_code == 200, trusted.body
    return {**joined, **body_of(trusted)}


def click(api: Any, code: str, ua: str = BROWSER, query: str = "", method: str = "GET") -> Any:
    headers = {"user-agent": ua}
    return api.http.request(method, f"/r/{code}{query}", headers=headers)


def convert(api: Any, body: dict[str, Any], program: str = "shop", key: str = ADMIN_KEY) -> Any:
    return post_json(
        api, f"/v1/programs/{program}/conversions", body, {"authorization": f"Bearer {key}"}
    )


def count_requests(store: Any, action: Any) -> dict[str, int]:
    """DynamoDB requests (by operation) that `action` makes through any client of `store`."""
    from collections import Counter

    calls: Counter[str] = Counter()

    def count(model: Any, **kwargs: Any) -> None:
        calls[model.name] += 1

    for client in store.clients:
        client.meta.events.register("before-call.dynamodb", count)
    try:
        action()
    finally:
        for client in store.clients:
            client.meta.events.unregister("before-call.dynamodb", count)
    return dict(calls)
