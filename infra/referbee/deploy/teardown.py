"""`referbee destroy`: removes what `referbee deploy` recorded for a stage.

The table is kept unless the data is explicitly deleted, and so is the secrets parameter:
referrers are found by an HMAC of their email under the server secret, and their stats links
are signed with it, so a kept table without its secret would orphan every referrer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from .. import legacy
from . import bucket, cdn
from .app import resource_of
from .aws import AWS_ERRORS, connect, error_code, failure
from .deployment import Reporter
from .errors import DeployError
from .keys import delete_secrets
from .layers import LAYERS, delete_versions
from .names import Names, check_stage
from .policy import log_groups
from .state import Outcome, StateFile
from .table import delete_table

_NOT_FOUND = {"ResourceNotFoundException", "NotFoundException", "NoSuchEntity"}


@dataclass
class DestroyOptions:
    stage: str
    region: str | None = None
    profile: str | None = None
    state_dir: Path = field(default_factory=lambda: legacy.state_dir() / "deployed")
    # The stage name typed to confirm that the table and all its data are to be deleted.
    delete_data_confirmation: str | None = None


def destroy(options: DestroyOptions, reporter: Reporter) -> list[tuple[str, Outcome]]:
    check_stage(options.stage)
    confirmation = options.delete_data_confirmation
    if confirmation is not None and confirmation != options.stage:
        raise DeployError(
            f"'{confirmation[:40]}' is not the stage name '{options.stage}': nothing was deleted"
        )
    state = StateFile(options.state_dir, options.stage)
    if not state.exists:
        raise DeployError(f"no deployment of stage '{options.stage}' is recorded in {state.path}")
    aws = connect(options.region or state.get("region"), options.profile)
    if state.get("account") not in (None, aws.account):
        raise DeployError(
            f"stage '{options.stage}' is in account {state.get('account')}, but these "
            f"credentials are for {aws.account}; pass the matching --profile"
        )
    names = Names(options.stage, aws.region, aws.account, state.section("bucket").get("name"))
    steps: list[tuple[str, Callable[[], Outcome]]] = [
        ("CloudFront", lambda: _cdn(aws.client("cloudfront"), state, "cdn")),
        ("Referral links' CloudFront", lambda: _cdn(aws.client("cloudfront"), state, "links")),
        ("Site bucket", lambda: _bucket(aws.client("s3"), state)),
        (
            "API (schedule, stream mapping, API Gateway, functions, layers, IAM roles, logs)",
            lambda: _api(aws, names, state),
        ),
    ]
    if confirmation is not None:
        steps += [
            ("Secrets", lambda: _secrets(aws.client("ssm"), names, state)),
            (
                "DynamoDB table (and all its data)",
                lambda: _table(aws.client("dynamodb"), names, state),
            ),
        ]
    outcomes = [(title, _run(title, action, reporter)) for title, action in steps]
    if confirmation is not None:
        state.delete()
    else:
        kept = f"{names.table} and {names.secrets_parameter} kept; --delete-data removes them"
        outcomes.append(("Kept", Outcome(False, kept)))
    return outcomes


def _run(title: str, action: Callable[[], Outcome], reporter: Reporter) -> Outcome:
    reporter.step_started(title)
    started = time.monotonic()
    try:
        outcome = action()
    except BaseException as exc:
        reporter.step_failed(title, time.monotonic() - started)
        if isinstance(exc, AWS_ERRORS):
            raise failure(exc, f"destroy: {title}") from exc
        raise
    reporter.step_finished(title, outcome, time.monotonic() - started)
    return outcome


def _cdn(cloudfront: Any, state: StateFile, section: str) -> Outcome:
    """The site's distribution ("cdn") or the link domain's ("links"; the click URL goes
    with its function)."""
    known = state.section(section)
    if not known.get("distribution_id") and not known.get("oac_id"):
        return Outcome(False, "none")
    deleted = cdn.delete_distribution(cloudfront, known)
    state.forget(section)
    return Outcome(bool(deleted), ", ".join(deleted) + " deleted" if deleted else "already gone")


def _bucket(s3: Any, state: StateFile) -> Outcome:
    name = state.section("bucket").get("name")
    if not name:
        return Outcome(False, "none")
    deleted = bucket.empty_and_delete(s3, name)
    state.forget("site")
    state.forget("bucket")
    return Outcome(deleted, f"{name} deleted" if deleted else f"{name} already gone")


def _api(aws: Any, names: Names, state: StateFile) -> Outcome:
    """The schedule and the stream's event source mappings first (so no function is started
    while it goes), then the API, the functions (their Lambda permissions go with them),
    their layers, roles and log groups."""
    app = state.section("app")
    deleted: list[str] = []
    if _delete_rule(aws.client("events"), names.schedule_rule):
        deleted.append(f"rule {names.schedule_rule}")
    rest_api_id = resource_of(app.get("chalice") or {}, "rest_api").get("rest_api_id")
    apigateway, lam, iam, logs = (aws.client(s) for s in ("apigateway", "lambda", "iam", "logs"))
    if rest_api_id and _gone_ok(apigateway.delete_rest_api, restApiId=rest_api_id):
        deleted.append(f"REST API {rest_api_id}")
    for function in names.functions.values():
        for mapping in _event_source_mappings(lam, names.arn("lambda", f"function:{function}")):
            if _gone_ok(lam.delete_event_source_mapping, UUID=mapping):
                deleted.append(f"event source mapping {mapping}")
    for function in names.functions.values():
        if _gone_ok(lam.delete_function, FunctionName=function):
            deleted.append(f"function {function}")
    for layer in LAYERS:
        for version in delete_versions(lam, names.layer(layer.name)):
            deleted.append(f"layer {names.layer(layer.name)} version {version}")
    state.forget("layers")
    for role in names.roles.values():
        if _delete_role(iam, role):
            deleted.append(f"role {role}")
    for group in log_groups(names):
        if _gone_ok(logs.delete_log_group, logGroupName=group):
            deleted.append(f"log group {group}")
    state.forget("app")
    return Outcome(bool(deleted), ", ".join(deleted) + " deleted" if deleted else "already gone")


def _secrets(ssm: Any, names: Names, state: StateFile) -> Outcome:
    deleted = delete_secrets(ssm, names)
    state.forget("secrets")
    return Outcome(
        deleted, f"{names.secrets_parameter} " + ("deleted" if deleted else "already gone")
    )


def _table(dynamodb: Any, names: Names, state: StateFile) -> Outcome:
    deleted = delete_table(dynamodb, names.table)
    state.forget("table")
    state.forget("admin_key")
    return Outcome(deleted, f"{names.table} " + ("deleted" if deleted else "already gone"))


def _delete_rule(events: Any, rule: str) -> bool:
    """Remove the rule's targets, then the rule (EventBridge refuses to delete a rule that
    still has targets). False when the rule was already gone."""
    try:
        targets = events.list_targets_by_rule(Rule=rule)["Targets"]
        if targets:
            events.remove_targets(Rule=rule, Ids=[target["Id"] for target in targets])
        events.delete_rule(Name=rule)
    except events.exceptions.ResourceNotFoundException:
        return False
    return True


def _event_source_mappings(lam: Any, function_arn: str) -> list[str]:
    """The UUIDs of the function's event source mappings (deleting a function does not
    delete them; DeleteEventSourceMapping does). Chalice creates them with the function's
    ARN, which is what they are listed by."""
    uuids: list[str] = []
    try:
        for page in lam.get_paginator("list_event_source_mappings").paginate(
            FunctionName=function_arn
        ):
            uuids += [mapping["UUID"] for mapping in page["EventSourceMappings"]]
    except ClientError as exc:
        if error_code(exc) not in _NOT_FOUND:
            raise
    return uuids


def _delete_role(iam: Any, role: str) -> bool:
    try:
        for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            iam.delete_role_policy(RoleName=role, PolicyName=policy)
        for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
            iam.detach_role_policy(RoleName=role, PolicyArn=attached["PolicyArn"])
        iam.delete_role(RoleName=role)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def _gone_ok(delete: Callable[..., Any], **params: Any) -> bool:
    """Run a delete; False (not an error) when the resource was already gone."""
    try:
        delete(**params)
    except ClientError as exc:
        if error_code(exc) in _NOT_FOUND:
            return False
        raise
    return True
