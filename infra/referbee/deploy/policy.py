"""The IAM policies of the app's Lambda functions, one role and policy per function: exactly
what each function's code calls, on this stage's own resources. Every statement is built
here; a feature that needs more access adds one builder to `_STATEMENTS` (the API handler),
`_SCHEDULED_STATEMENTS` (the scheduled function) or `_ROLLUP_STATEMENTS` (the stream-fed
rollup function).

The functions share the store module, so all get the same table and index actions; only
the scheduled function delivers the outbox, so only its role may send email, and only from
the senders the programs' `emails.from` name; only the rollup function's role may read the
table's stream (Lambda polls the stream with it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from email.utils import parseaddr
from typing import Any

from chalicelib.domain.config.programs import parse_programs
from chalicelib.store.table import table_definition

from .names import API_HANDLER, CLICKS, ROLLUPS, SCHEDULED, Names

Statement = dict[str, Any]

# The calls chalicelib/store/*.py make. TransactWriteItems is authorized per item action,
# hence ConditionCheckItem; BatchGetItem reads rewards (refunds, approvals).
TABLE_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:Query",
)
INDEX_ACTIONS = ("dynamodb:Query",)
# SES API v2 SendEmail with raw content is authorized as both actions.
SEND_ACTIONS = ("ses:SendEmail", "ses:SendRawEmail")
# What Lambda's event source mapping needs on a DynamoDB stream.
STREAM_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ListStreams",
)


def function_policies(names: Names, document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The policy document of each function, by Chalice function name."""
    return {
        API_HANDLER: lambda_policy(names),
        SCHEDULED: scheduled_policy(names, email_senders(document)),
        ROLLUPS: rollup_policy(names),
        CLICKS: _document([build(names) for build in _CLICK_STATEMENTS]),
    }


def lambda_policy(names: Names) -> dict[str, Any]:
    """The API handler's policy. With `cloudformation_names` the ARNs are `Fn::Sub`
    templates."""
    return _document([build(names) for build in _STATEMENTS])


def scheduled_policy(names: Names, senders: tuple[str, ...]) -> dict[str, Any]:
    """The scheduled function's policy: the API handler's table, index and secrets
    statements, its own log group, and SES sending as `senders` (none: no SES statement)."""
    statements = [build(names) for build in _SCHEDULED_STATEMENTS]
    if senders:
        statements.append(_sending(names, senders))
    return _document(statements)


def rollup_policy(names: Names) -> dict[str, Any]:
    """The stream-fed rollup function's policy: the table and its indexes, reading the
    table's stream, its own log group and the secrets (referrers' names are not in the
    rollups, but the store is opened the same way in every function)."""
    return _document([build(names) for build in _ROLLUP_STATEMENTS])


def email_senders(document: Mapping[str, Any]) -> tuple[str, ...]:
    """The bare addresses of every program's `emails.from`, sorted, without duplicates."""
    addresses = set()
    for program in parse_programs(dict(document)).programs.values():
        emails = program.incentives.emails
        if emails is not None and emails.sender:
            local, _, domain = parseaddr(emails.sender)[1].rpartition("@")
            addresses.add(f"{local}@{domain.lower()}")
    return tuple(sorted(addresses))


def sender_identity_arns(names: Names, senders: tuple[str, ...]) -> list[str]:
    """SES authorizes a send against the identity that verified the sender: the address
    itself or its domain, whichever the account verified. Both are allowed, nothing else."""
    identities = sorted({*senders, *(sender.rpartition("@")[2] for sender in senders)})
    return [names.arn("ses", f"identity/{identity}") for identity in identities]


def index_arns(names: Names) -> list[str]:
    indexes = table_definition(names.table)["GlobalSecondaryIndexes"]
    return [f"{names.table_arn}/index/{index['IndexName']}" for index in indexes]


def log_group(function: str) -> str:
    return f"/aws/lambda/{function}"


def log_groups(names: Names) -> list[str]:
    return [log_group(function) for function in names.functions.values()]


def log_group_arn(names: Names, function: str) -> str:
    return names.arn("logs", f"log-group:{log_group(function)}")


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
    return _logs_of(names, names.function)


def _scheduled_logs(names: Names) -> Statement:
    return _logs_of(names, names.scheduled_function)


def _logs_of(names: Names, function: str) -> Statement:
    # The log group is created by deploy (with a retention period), so the function only
    # writes streams into it; stream names are chosen by Lambda, hence the one wildcard.
    return {
        "Sid": "Logs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [f"{log_group_arn(names, function)}:log-stream:*"],
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


def _stream(names: Names) -> Statement:
    # Lambda's event source mapping reads the table's stream with the function's role.
    return {
        "Sid": "Stream",
        "Effect": "Allow",
        "Action": list(STREAM_ACTIONS),
        "Resource": [f"{names.table_arn}/stream/*"],
    }


def _rollup_logs(names: Names) -> Statement:
    return _logs_of(names, names.rollup_function)


def _click_logs(names: Names) -> Statement:
    return _logs_of(names, names.click_function)


def _sending(names: Names, senders: tuple[str, ...]) -> Statement:
    return {
        "Sid": "SendEmail",
        "Effect": "Allow",
        "Action": list(SEND_ACTIONS),
        "Resource": sender_identity_arns(names, senders),
    }


_STATEMENTS: tuple[Callable[[Names], Statement], ...] = (_table, _indexes, _logs, _secrets)
_SCHEDULED_STATEMENTS: tuple[Callable[[Names], Statement], ...] = (
    _table,
    _indexes,
    _scheduled_logs,
    _secrets,
)
# The stream-fed rollup function (api/rollups.py).
_ROLLUP_STATEMENTS: tuple[Callable[[Names], Statement], ...] = (
    _table,
    _indexes,
    _stream,
    _rollup_logs,
    _secrets,
)


# The click path behind its Function URL: the redirect and the pixel, which records
# conversions as the API handler does.
_CLICK_STATEMENTS: tuple[Callable[[Names], Statement], ...] = (
    _table,
    _indexes,
    _click_logs,
    _secrets,
)


def _document(statements: list[Statement]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [_for_template(s) for s in statements]}


def _for_template(statement: Statement) -> Statement:
    resources = [
        {"Fn::Sub": resource} if "${" in resource else resource
        for resource in statement["Resource"]
    ]
    return {**statement, "Resource": resources}
