"""Runs the code package that `refkit deploy` uploaded, as Lambda would: unzipped, with the
function's environment as moto stores it, handling an API Gateway proxy event. moto cannot
run Lambda code, so this runs it in a subprocess of the local Python instead; AWS calls from
the handler (SSM, DynamoDB) still go to moto's server."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

_HANDLER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from app import app
print(json.dumps(app(json.load(sys.stdin), None)))
"""


def invoke_package(
    package: Path, workdir: Path, environment: dict[str, str], event: dict[str, Any]
) -> dict[str, Any]:
    unpacked = workdir / "lambda-task"
    if not unpacked.exists():
        with zipfile.ZipFile(package) as archive:
            archive.extractall(unpacked)
    env = {
        **{k: v for k, v in os.environ.items() if k.startswith("AWS_") or k in ("PATH", "HOME")},
        **environment,
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", _HANDLER, str(unpacked)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def body_of(reply: dict[str, Any]) -> Any:
    body = reply["body"]
    if reply.get("isBase64Encoded"):
        body = base64.b64decode(body)
    return json.loads(body)


def proxy_event(
    method: str,
    resource: str,
    path: str,
    params: dict[str, str],
    body: Any = None,
    api_id: str = "abc123",
) -> dict[str, Any]:
    headers = {"accept": "*/*", "content-type": "application/json", "user-agent": "curl/8"}
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
