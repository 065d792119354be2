"""docs/openapi.yaml describes exactly the routes the app serves, and real responses match
its schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from app import app
from tests.helpers import body_of, click, convert, new_referrer

SPEC = yaml.safe_load((Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text())


def test_every_route_is_documented_and_every_documented_route_exists() -> None:
    served = {
        (path, method.lower())
        for path, methods in app.routes.items()
        for method in methods
        if method != "OPTIONS"
    }
    documented = {
        (path, method)
        for path, item in SPEC["paths"].items()
        for method in item
        if method in {"get", "head", "post", "put", "patch", "delete"}
    }
    assert served == documented


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 marks optional nulls with `nullable: true`; JSON Schema with a type list."""
    if isinstance(node, dict):
        converted = {k: as_json_schema(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") and "type" in node:
            converted["type"] = [node["type"], "null"]
        return converted
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    return node


def check(instance: Any, name: str) -> None:
    components = as_json_schema(SPEC["components"])
    jsonschema.validate(
        instance, {"$ref": f"#/components/schemas/{name}", "components": components}
    )


def test_responses_match_the_documented_schemas(api: Any) -> None:
    check(body_of(api.http.get("/v1/programs/shop")), "Program")
    referrer = new_referrer(api)
    check(referrer, "Referrer")
    click(api, referrer["code"])
    conversion = convert(
        api, {"event": "purchase", "order_id": "s1", "amount": 3, "ref": referrer["code"]}
    )
    check(body_of(conversion), "Conversion")
    check(body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}")), "Stats")
    check(body_of(api.http.get("/v1/stats/nope")), "Error")


def test_webhook_answers_match_the_documented_schema(dynamo_store: Any) -> None:
    from decimal import Decimal

    from referbee.hooks import stripe_events as se
    from tests.hooks import paid_program, send_stripe
    from tests.trust import issue, trust_api

    with trust_api(dynamo_store, paid_program()) as (api, _):
        jane = issue(api)
        check(jane, "Referrer")
        order = se.Order(Decimal(10), reference=jane["code"])
        answer = send_stripe(
            api, se.event("checkout.session.completed", se.checkout_session(order))
        )
        check(body_of(answer), "HookOutcome")
        refused = send_stripe(api, se.event("invoice.paid", {}), signature="t=1,v1=0")
        assert refused.status_code == 400
        check(body_of(refused), "Error")
