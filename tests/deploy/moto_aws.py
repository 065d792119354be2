"""AWS for the deploy tests: moto in server mode, reached over HTTP through AWS_ENDPOINT_URL
(which botocore honours for every client, Chalice's included).

moto cannot import a Swagger 2.0 document into API Gateway (its ImportRestApi fails and its
PutRestApi takes OpenAPI 3 only), and Chalice deploys its REST API that way. referbee creates
the REST API itself, empty, before Chalice runs (CreateRestApi, which moto implements), so
Chalice always takes its update path; these tests swap exactly that call
(`update_api_from_swagger`), and nothing else, for `MotoSwaggerAdapter`, which applies the
same Swagger document with the API Gateway calls moto does implement: it creates a resource
per path, a method per verb and the method's integration (the Lambda proxy URI Chalice put
in the document). Chalice's import path is not adapted: a deploy that took it would fail
here. Everything Chalice does around it runs for real against moto: the IAM roles and their
policies, both Lambda functions, the EventBridge rule, its target, the Lambda permissions
for API Gateway and EventBridge, and the deployment of the API stage. What is NOT
exercised: API Gateway's own Swagger parser (binary media types, the
x-amazon-apigateway-binary-media-types extension, gateway responses) and invoking the
functions through Lambda (moto cannot run Lambda code without Docker; lambda_run.py runs
the package locally instead)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from chalice.awsclient import TypedAWSClient

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account


class MotoSwaggerAdapter(TypedAWSClient):
    """Test-only: Chalice's Swagger update, done with calls moto implements."""

    def update_api_from_swagger(self, rest_api_id: str, swagger_document: dict[str, Any]) -> None:
        client = self._client("apigateway")
        resources = client.get_resources(restApiId=rest_api_id, limit=500)["items"]
        for resource in sorted(resources, key=lambda r: -r["path"].count("/")):
            if resource["path"] != "/":
                client.delete_resource(restApiId=rest_api_id, resourceId=resource["id"])
        self._apply(rest_api_id, swagger_document)

    def _apply(self, rest_api_id: str, document: dict[str, Any]) -> None:
        client = self._client("apigateway")
        ids = {r["path"]: r["id"] for r in client.get_resources(restApiId=rest_api_id)["items"]}
        for path, methods in sorted(document["paths"].items()):
            resource_id = _resource(client, rest_api_id, ids, path)
            for verb, spec in methods.items():
                if verb.startswith("x-"):
                    continue
                client.put_method(
                    restApiId=rest_api_id,
                    resourceId=resource_id,
                    httpMethod=verb.upper(),
                    authorizationType="NONE",
                )
                integration = spec["x-amazon-apigateway-integration"]
                request: dict[str, Any] = {"type": integration["type"].upper()}
                if "uri" in integration:
                    request["uri"] = integration["uri"]
                    request["integrationHttpMethod"] = integration["httpMethod"]
                client.put_integration(
                    restApiId=rest_api_id,
                    resourceId=resource_id,
                    httpMethod=verb.upper(),
                    **request,
                )


def _resource(client: Any, rest_api_id: str, ids: dict[str, str], path: str) -> str:
    current = ""
    for part in [p for p in path.split("/") if p]:
        parent = ids[current or "/"]
        current = f"{current}/{part}"
        if current not in ids:
            created = client.create_resource(restApiId=rest_api_id, parentId=parent, pathPart=part)
            ids[current] = created["id"]
    return ids[current or "/"]


@contextmanager
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def aws_env(endpoint: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }


def client(service: str, endpoint: str, **credentials: str) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=endpoint,
        region_name=credentials.get("region", REGION),
        aws_access_key_id=credentials.get("key", "testing"),
        aws_secret_access_key=credentials.get("secret", "testing"),
        aws_session_token=credentials.get("token"),
    )


def reset(endpoint: str) -> None:
    import urllib.request

    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
