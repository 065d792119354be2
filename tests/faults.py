"""Fault injection at the botocore layer: DynamoDB calls fail with the errors the real
service returns when it throttles or fails, before any request reaches the database.

The hook is `before-call`, which stops at the first handler that answers (botocore emits
`before-send` to every handler, so moto would still apply a request answered there)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse

STATUS = {
    "ThrottlingException": 400,
    "ProvisionedThroughputExceededException": 400,
    "RequestLimitExceeded": 400,
    "InternalServerError": 500,
    "ServiceUnavailable": 503,
}


@dataclass
class Faults:
    """While active, DynamoDB calls fail with `code`: every call, or only `operations`;
    with `after_commit`, the request is applied first and only its answer is lost."""

    code: str = "ThrottlingException"
    operations: set[str] | None = None
    after_commit: bool = False
    failed: list[str] = field(default_factory=list)

    def _on_call(self, model: Any, params: dict[str, Any], **kwargs: Any) -> Any:
        operation = model.name
        if self.operations is not None and operation not in self.operations:
            return None
        if self.after_commit:
            _apply_for_real(operation, params)
        self.failed.append(operation)
        status = STATUS.get(self.code, 400)
        parsed = {
            "Error": {"Code": self.code, "Message": f"injected {self.code}"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        return AWSResponse(params.get("url", ""), status, {}, None), parsed


def _apply_for_real(operation: str, params: dict[str, Any]) -> None:
    """Send the same request through a clean client: DynamoDB's JSON wire body is the
    low-level client's parameter shape, so it can be replayed as is."""
    import json

    import boto3

    real = boto3.client("dynamodb", region_name="us-east-1")
    method = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
    getattr(real, method)(**json.loads(params["body"]))


@contextmanager
def dynamodb_failing(
    store: Any,
    code: str = "ThrottlingException",
    *,
    operations: set[str] | None = None,
    after_commit: bool = False,
) -> Iterator[Faults]:
    """Make every client of a DynamoStore fail while the block runs."""
    faults = Faults(code, operations, after_commit)
    for client in store.clients:
        client.meta.events.register_first("before-call.dynamodb", faults._on_call)
    try:
        yield faults
    finally:
        for client in store.clients:
            client.meta.events.unregister("before-call.dynamodb", faults._on_call)
