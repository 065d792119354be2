"""Runs the code package that `referbee deploy` uploaded, as Lambda would: unzipped, with the
function's environment as moto stores it, calling the function's handler (the API handler
with an API Gateway proxy event, the scheduled function with an EventBridge event). moto
cannot run Lambda code, so this runs it in a subprocess of the local Python instead; AWS
calls from the handler (SSM, DynamoDB, SES) still go to moto's server, and each one is
recorded (service, operation, parameters) so tests can check it against the role's policy.
What is not reproduced: Lambda's runtime itself, and the role: the subprocess uses the
test's credentials, and moto does not evaluate IAM policies."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HANDLER = """
import importlib, json, sys
import botocore.client
# Lambda's order: the package, then each layer's python/lib/<runtime>/site-packages.
sys.path[0:0] = [sys.argv[1], *json.loads(sys.argv[3])]
calls = []
original = botocore.client.BaseClient._make_api_call
def recorded(client, operation, params):
    calls.append([client.meta.service_model.service_name, operation, params])
    return original(client, operation, params)
botocore.client.BaseClient._make_api_call = recorded
module, _, name = sys.argv[2].rpartition(".")
handler = getattr(importlib.import_module(module), name)
reply = handler(json.load(sys.stdin), None)
loaded = {name: getattr(module, "__file__", None) for name, module in sys.modules.items()}
print(json.dumps({"reply": reply, "calls": calls, "loaded": loaded}, default=repr))
"""

Call = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class Invocation:
    reply: Any
    calls: list[Call]
    stdout: str
    loaded: dict[str, str | None]  # each module the run imported, with its file


def invoke_package(
    package: Path,
    workdir: Path,
    environment: dict[str, str],
    event: dict[str, Any],
    handler: str = "app.app",
    *,
    metrics: bool = False,
    layers: tuple[Path, ...] = (),
) -> Invocation:
    """Run `handler` from `package`, with `layers` (zips) unpacked and on the path as Lambda
    puts them (under /opt)."""
    unpacked = workdir / "lambda-task"
    if not unpacked.exists():
        with zipfile.ZipFile(package) as archive:
            archive.extractall(unpacked)
    layer_paths: list[str] = []
    for layer in layers:
        opt = workdir / f"lambda-opt-{layer.stem}"
        if not opt.exists():
            with zipfile.ZipFile(layer) as archive:
                archive.extractall(opt)
        layer_paths += [str(p) for p in sorted(opt.glob("python/lib/python3.*/site-packages"))]
    env = {
        **{k: v for k, v in os.environ.items() if k.startswith("AWS_") or k in ("PATH", "HOME")},
        **environment,
        "POWERTOOLS_METRICS_DISABLED": "false" if metrics else "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", _HANDLER, str(unpacked), handler, json.dumps(layer_paths)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    *printed, last = done.stdout.strip().splitlines()
    result = json.loads(last)
    calls = [(service, operation, params) for service, operation, params in result["calls"]]
    return Invocation(result["reply"], calls, "\n".join(printed), result["loaded"])


def body_of(reply: dict[str, Any]) -> Any:
    body = reply["body"]
    if reply.get("isBase64Encoded"):
        body = base64.b64decode(body)
    return json.loads(body)


def scheduled_event(rule_arn: str) -> dict[str, Any]:
    """What EventBridge sends a scheduled rule's target."""
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": rule_arn.split(":")[4],
        "time": "2026-01-01T00:00:00Z",
        "region": rule_arn.split(":")[3],
        "resources": [rule_arn],
        "detail": {},
    }


def url_event(path: str, query: str = "", method: str = "GET") -> dict[str, Any]:
    """What a Lambda Function URL sends its function (payload format 2.0)."""
    return {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": "abc.lambda-url.eu-west-1.on.aws", "user-agent": "Mozilla/5.0"},
        "requestContext": {
            "domainName": "abc.lambda-url.eu-west-1.on.aws",
            "http": {"method": method, "path": path, "sourceIp": "203.0.113.10"},
        },
        "isBase64Encoded": False,
    }


def proxy_event(
    method: str,
    resource: str,
    path: str,
    params: dict[str, str],
    body: Any = None,
    api_id: str = "abc123",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    headers = {
        "accept": "*/*",
        "content-type": "application/json",
        "user-agent": "curl/8",
        **(headers or {}),
    }
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": params,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/api{path}",
            "stage": "api",
            "domainName": f"{api_id}.execute-api.eu-west-1.amazonaws.com",
            "identity": {"sourceIp": "203.0.113.9"},
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
