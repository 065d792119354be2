"""Checks AWS calls recorded from the deployed code against a role's policy document.

moto does not evaluate IAM policies (its access control ignores the Resource element), so
this does the part that matters here: each call is turned into the IAM action(s) AWS
authorizes it as and the resource ARN(s) it touches, and must be allowed by an Allow
statement whose Action and Resource patterns match. Conditions, Deny statements, resource
policies and permission boundaries are out of scope: the generated policies use none."""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any

from referbee.deploy.names import Names

from .lambda_run import Call

# The item actions a TransactWriteItems call is authorized as, per kind of item.
_TRANSACT_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}


def denied(policy: dict[str, Any], calls: list[Call], names: Names) -> list[str]:
    """Every (action on resource) among `calls` that `policy` does not allow."""
    refused = []
    for call in calls:
        for action, candidates in authorizations(call, names):
            if not any(allows(policy, action, resource) for resource in candidates):
                refused.append(f"{action} on {' or '.join(candidates)}")
    return sorted(set(refused))


def authorizations(call: Call, names: Names) -> list[tuple[str, list[str]]]:
    """The IAM actions a call needs, each with the resources any one of which must be
    allowed. An unknown call fails the test: map it here rather than let it pass."""
    service, operation, params = call
    if service == "dynamodb":
        return _dynamodb(operation, params, names)
    if service == "ssm" and operation == "GetParameter":
        name = re.sub(r":\d+$", "", params["Name"])  # a version selector is not part of the ARN
        return [("ssm:GetParameter", [names.arn("ssm", f"parameter{name}")])]
    if service == "sesv2" and operation == "SendEmail":
        # Authorized against the identity that verified the sender: the address or its
        # domain. SendEmail with a raw message is checked as both actions.
        address = parseaddr(params["FromEmailAddress"])[1]
        identities = [address, address.rpartition("@")[2]]
        arns = [names.arn("ses", f"identity/{identity}") for identity in identities]
        return [("ses:SendEmail", arns), ("ses:SendRawEmail", arns)]
    raise AssertionError(f"no IAM mapping for {service}:{operation}; add it to iam_check.py")


def allows(policy: dict[str, Any], action: str, resource: str) -> bool:
    return any(
        statement["Effect"] == "Allow"
        and any(_matches(p, action, case=False) for p in _as_list(statement["Action"]))
        and any(_matches(p, resource, case=True) for p in _as_list(statement["Resource"]))
        for statement in policy["Statement"]
    )


def _dynamodb(operation: str, params: dict[str, Any], names: Names) -> list[tuple[str, list[str]]]:
    def table(name: str) -> str:
        return names.arn("dynamodb", f"table/{name}")

    if operation == "TransactWriteItems":
        return [
            (_TRANSACT_ACTIONS[kind], [table(item[kind]["TableName"])])
            for item in params["TransactItems"]
            for kind in item
        ]
    if operation == "BatchGetItem":
        return [("dynamodb:BatchGetItem", [table(name)]) for name in params["RequestItems"]]
    arn = table(params["TableName"])
    if params.get("IndexName"):
        arn += f"/index/{params['IndexName']}"
    return [(f"dynamodb:{operation}", [arn])]


def _matches(pattern: str, value: str, *, case: bool) -> bool:
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, value, flags=0 if case else re.IGNORECASE) is not None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
