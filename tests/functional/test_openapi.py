"""docs/openapi.yaml describes exactly the routes the app serves, and real responses match
its schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from app import app
from tests.common import ADMIN_KEY
from tests.helpers import body_of, click, convert, new_referrer, post_json

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


def test_the_spec_is_valid_openapi() -> None:
    from openapi_spec_validator import validate

    validate(SPEC)


def test_no_description_became_a_key_of_its_own() -> None:
    """An unquoted text with ", " in a flow mapping splits into keys with no value: valid
    YAML, and in a schema's `properties` even valid OpenAPI, but not what was meant."""

    def nulls(node: Any, path: str) -> list[str]:
        if isinstance(node, dict):
            found = [f"{path}/{key}" for key, value in node.items() if value is None]
            return found + [p for k, v in node.items() for p in nulls(v, f"{path}/{k}")]
        if isinstance(node, list):
            return [p for i, v in enumerate(node) for p in nulls(v, f"{path}/{i}")]
        return []

    assert nulls(SPEC, "") == []


def test_joining_signin_and_rotation_match_the_documented_schemas(
    api: Any, dynamo_ctx: Any
) -> None:
    joined = post_json(api, "/v1/programs/shop/referrers", {"email": "kim@example.com"})
    check(body_of(joined), "JoinedReferrer")
    check(
        body_of(post_json(api, "/v1/programs/shop/signin", {"email": "kim@example.com"})),
        "SigninSent",
    )
    [sent] = [m for m in dynamo_ctx.store.outbox.due_messages(9e9) if m.event_type == "sign_in"]
    token = dynamo_ctx.signer.signin_token(json.loads(sent.body)["merge"]["nonce"])
    confirmed = post_json(api, "/v1/programs/shop/signin/confirm", {"token": token})
    check(body_of(confirmed), "StatsLink")
    rotated = post_json(
        api,
        "/v1/programs/shop/referrers/rotate-token",
        {"email": "kim@example.com"},
        {"authorization": f"Bearer {ADMIN_KEY}"},
    )
    check(body_of(rotated), "RotatedToken")
