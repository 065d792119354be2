"""The IAM policy of the API's Lambda function: exactly what the code calls, on this stage's
own resources. Every statement is built here; a feature that needs more access (e.g. sending
email) adds one builder to `_STATEMENTS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.store.table import table_definition

from .names import Names

Statement = dict[str, Any]

# The calls chalicelib/store/dynamo.py makes. TransactWriteItems is authorized per item
# action, hence ConditionCheckItem.
TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:Query",
)
INDEX_ACTIONS = ("dynamodb:Query",)


def lambda_policy(names: Names) -> dict[str, Any]:
    """The policy document. With `cloudformation_names` the ARNs are `Fn::Sub` templates."""
    statements = [build(names) for build in _STATEMENTS]
    return {"Version": "2012-10-17", "Statement": [_for_template(s) for s in statements]}


def index_arns(names: Names) -> list[str]:
    indexes = table_definition(names.table)["GlobalSecondaryIndexes"]
    return [f"{names.table_arn}/index/{index['IndexName']}" for index in indexes]


def log_group(names: Names) -> str:
    return f"/aws/lambda/{names.function}"


def log_group_arn(names: Names) -> str:
    return names.arn("logs", f"log-group:{log_group(names)}")


def cloudformation_names(stage: str) -> Names:
    """Names whose region, account and partition CloudFormation fills in."""
    return Names(stage=stage, region="${AWS::Region}", account="${AWS::AccountId}")


def _table(names: Names) -> Statement:
    return {
        "Sid": "Table",
        "Effect": "Allow",
        "Action": list(TABLE_ACTIONS),
        "Resource": [names.table_arn],
    }


def _indexes(names: Names) -> Statement:
    return {
        "Sid": "Indexes",
        "Effect": "Allow",
        "Action": list(INDEX_ACTIONS),
        "Resource": index_arns(names),
    }


def _logs(names: Names) -> Statement:
    # The log group is created by deploy (with a retention period), so the function only
    # writes streams into it; stream names are chosen by Lambda, hence the one wildcard.
    return {
        "Sid": "Logs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [f"{log_group_arn(names)}:log-stream:*"],
    }


def _secrets(names: Names) -> Statement:
    # SecureString under the AWS-managed key aws/ssm: its key policy already lets account
    # principals decrypt through SSM, so no kms:Decrypt statement is needed.
    return {
        "Sid": "Secrets",
        "Effect": "Allow",
        "Action": ["ssm:GetParameter"],
        "Resource": [names.arn("ssm", f"parameter{names.secrets_parameter}")],
    }


def _rollups(names: Names) -> Statement:
    # The rollup function (api/rollups.py): Lambda reads the table's stream with the
    # function's role; the function reads codes' last active days and referrers in batches.
    return {
        "Sid": "Rollups",
        "Effect": "Allow",
        "Action": [
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
            "dynamodb:BatchGetItem",
        ],
        "Resource": [f"{names.table_arn}/stream/*", names.table_arn],
    }


def _rollup_logs(names: Names) -> Statement:
    group = names.arn("logs", f"log-group:/aws/lambda/{rollup_function(names)}")
    return {
        "Sid": "RollupLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [group, f"{group}:log-stream:*"],
    }


def rollup_function(names: Names) -> str:
    """Chalice's name for the stream-fed function `rollups` of this stage."""
    return f"{names.function}-rollups"


_STATEMENTS: tuple[Callable[[Names], Statement], ...] = (
    _table,
    _indexes,
    _logs,
    _secrets,
    _rollups,
    _rollup_logs,
)


def _for_template(statement: Statement) -> Statement:
    resources = [
        {"Fn::Sub": resource} if "${" in resource else resource
        for resource in statement["Resource"]
    ]
    return {**statement, "Resource": resources}
