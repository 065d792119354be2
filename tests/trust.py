"""Shared setup for the trust-and-safety tests: an API over moto whose programs have fraud
rules, rate limits and origins configured per test."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.api import deps, schedule
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.referrals.identity import identity_signature
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from tests.common import ADMIN_KEY, BROWSER, NOW, SECRET, install_keys
from tests.helpers import body_of, post_json

SECRET_OF_SHOP = "shop-identity-secret-0123"
FRIEND = BROWSER + " (friend)"
AUTH = {"authorization": f"Bearer {ADMIN_KEY}"}


def trust_document(fraud: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """Program `shop` (hold-free credit rewards on both sides, the given fraud rules) and
    `acme` (defaults)."""
    shop: dict[str, Any] = {
        "id": "shop",
        "name": "Test Shop",
        "landing_url": "https://shop.example.com/welcome",
        "allowed_hosts": ["shop.example.com"],
        "currency": "EUR",
        "identity_secret": SECRET_OF_SHOP,
        "rewards": {
            "referrer": {"text": "EUR 10 credit", "kind": "credit", "amount": 10},
            "friend": {"text": "EUR 5 credit", "kind": "credit", "amount": 5},
        },
        "webhooks": [{"url": "https://hooks.example.com/referbee", "secret": "w" * 20}],
        "emails": {"from": "Shop <rewards@shop.example.com>"},
    }
    if fraud is not None:
        shop["fraud"] = fraud
    shop.update(extra)
    acme = {
        "id": "acme",
        "name": "Acme",
        "landing_url": "https://acme.example/",
        "rewards": {
            "referrer": {"text": "500 points", "kind": "points", "points": 500},
            "friend": {"text": "100 points", "kind": "points", "points": 100},
        },
        "emails": {"from": "Acme <rewards@acme.example>"},
    }
    return {"programs": [shop, acme]}


@contextmanager
def trust_api(
    store: Any, document: dict[str, Any], clock: FixedClock | None = None
) -> Iterator[tuple[Any, Context]]:
    from chalice.test import Client

    from app import app

    ctx = Context(
        store, parse_programs(copy.deepcopy(document)), Signer(SECRET), clock or FixedClock(NOW)
    )
    deps.reset()
    schedule.outbound.cache_clear()
    deps.use_context(ctx)
    install_keys(store)
    try:
        with Client(app) as client:
            yield client, ctx
    finally:
        deps.reset()
        schedule.outbound.cache_clear()


def issue(
    api: Any,
    email: str = "jane@gmail.com",
    agent: str = BROWSER + " (referrer)",
    name: str = "Jane Doe",
) -> dict[str, Any]:
    response = post_json(
        api,
        "/v1/programs/shop/referrers",
        {
            "email": email,
            "name": name,
            "signature": identity_signature(SECRET_OF_SHOP, email),
        },
        {"user-agent": agent},
    )
    assert response.status_code in (200, 201), response.body
    return body_of(response)


def beacon(
    api: Any, body: dict[str, Any], agent: str = FRIEND, program: str = "shop", **headers: str
) -> Any:
    return api.http.post(
        f"/v1/programs/{program}/beacon",
        body=json.dumps(body).encode(),
        headers={"content-type": "text/plain", "user-agent": agent, **headers},
    )


def api_purchase(api: Any, code: str, order: str, **extra: Any) -> Any:
    body = {"event": "purchase", "order_id": order, "amount": 40, "ref": code, **extra}
    return post_json(api, "/v1/programs/shop/conversions", body, AUTH)


def stats_of(api: Any, referrer: dict[str, Any]) -> dict[str, Any]:
    return body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))


def scan_table(client: Any, table: str = "referbee-test") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table}
    while True:
        page = client.scan(**request)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def each(count: int, action: Callable[[int], Any]) -> list[Any]:
    return [action(index) for index in range(count)]
