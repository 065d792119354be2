"""The API, deployed with Chalice's own deployer from the project staged by project.py:
three Lambda functions (the API handler, the scheduled function and the rollup function), a
role and policy for each, the API Gateway REST API, the EventBridge rule that invokes the
scheduled function every minute, and the event source mapping that feeds the table's stream
to the rollup function. Nothing is deployed when the staged project's fingerprint is the
recorded one and the functions, API and rule are still in place."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalice.awsclient import TypedAWSClient
from chalice.cli.factory import CLIFactory
from chalice.deploy.appgraph import ApplicationGraphBuilder, DependencyBuilder
from chalice.deploy.deployer import (
    ChaliceDeploymentError,
    Deployer,
    NoopResultsRecorder,
    create_build_stage,
)
from chalice.deploy.executor import Executor
from chalice.deploy.planner import PlanStage, RemoteState
from chalice.deploy.swagger import TemplatedSwaggerGenerator
from chalice.deploy.sweeper import ResourceSweeper
from chalice.utils import UI, OSUtils

from chalicelib.api import rollups

from .aws import Aws
from .errors import DeployError
from .names import APP_NAME, Names
from .policy import log_groups
from .project import LOG_RETENTION_DAYS
from .state import Outcome


@dataclass(frozen=True)
class AppResult:
    outcome: Outcome
    api_url: str
    deployed: dict[str, Any]
    fingerprint: str


def reserve_rest_api(aws: Aws, names: Names, deployed: dict[str, Any]) -> dict[str, Any]:
    """Chalice's deployment record with a REST API in it: the recorded one if it still
    exists, else a new, empty one. The scheduled function's environment carries the API's
    address, which only exists once the API does; creating it before Chalice runs makes the
    address known up front, so one deploy sets it and the function never runs without it.
    Chalice then fills the API in as it does any API it deployed before."""
    apigateway = aws.client("apigateway")
    rest_api_id = resource_of(deployed, "rest_api").get("rest_api_id")
    if rest_api_id:
        try:
            apigateway.get_rest_api(restApiId=rest_api_id)
            return deployed
        except apigateway.exceptions.NotFoundException:
            pass
    rest_api_id = apigateway.create_rest_api(
        name=APP_NAME, endpointConfiguration={"types": ["EDGE"]}
    )["id"]
    reserved = {
        "name": "rest_api",
        "resource_type": "rest_api",
        "rest_api_id": rest_api_id,
        "rest_api_url": f"{names.api_url(rest_api_id)}/",
    }
    resources = [r for r in deployed.get("resources", []) if r.get("name") != "rest_api"]
    return {
        "schema_version": "2.0",
        "backend": "api",
        **deployed,
        "resources": [*resources, reserved],
    }


def deploy_app(
    aws: Aws, project: Path, names: Names, fingerprint: str, known: dict[str, Any], record: Any
) -> AppResult:
    """Deploy unless nothing changed. `record(deployed)` is called with whatever Chalice
    created, even when it fails half-way, so nothing it made goes unrecorded."""
    for group in log_groups(names):
        ensure_log_group(aws.client("logs"), group)
    deployed = known.get("chalice") or {}
    if known.get("fingerprint") == fingerprint and _still_there(aws, names, deployed):
        return AppResult(Outcome(False, "unchanged"), api_url_of(deployed), deployed, fingerprint)
    factory = CLIFactory(str(project))
    config = factory.create_config_obj(chalice_stage_name=names.stage, autogen_policy=False)
    subscribe_rollups(config)
    client = chalice_client(aws)
    executor = Executor(client, UI(out=io.StringIO(), err=io.StringIO()))
    deployer = _deployer(client, config, executor)
    try:
        deployed = deployer.deploy(config, chalice_stage_name=names.stage)
    except BaseException as exc:
        if executor.resource_values:
            record(_merged(deployed, executor.resource_values))
        if isinstance(exc, ChaliceDeploymentError):
            raise DeployError(f"deploying the API failed: {_first_line(exc)}") from exc
        raise
    record(deployed)
    return AppResult(Outcome(True, "deployed"), api_url_of(deployed), deployed, fingerprint)


def subscribe_rollups(config: Any) -> None:
    """Subscribe the app Chalice loaded to the stage's stream (REFERBEE_STREAM_ARN in the
    stage's environment). Loading the app in a fresh process does this already; doing it
    here makes the deployed functions independent of what this process imported before."""
    stream_arn = config.environment_variables.get("REFERBEE_STREAM_ARN")
    if not stream_arn:
        raise DeployError("the table has no stream for the rollup function; deploy again")
    rollups.subscribe(config.chalice_app, stream_arn)


def chalice_client(aws: Aws) -> TypedAWSClient:
    """The client Chalice deploys with (tests wrap it where moto cannot follow)."""
    return TypedAWSClient(aws.botocore_session)


def ensure_log_group(logs: Any, name: str) -> None:
    """Create the function's log group up front with a retention period (Lambda would create
    it without one, keeping logs, and their cost, forever)."""
    try:
        logs.create_log_group(logGroupName=name)
    except logs.exceptions.ResourceAlreadyExistsException:
        groups = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        if any(
            g["logGroupName"] == name and g.get("retentionInDays") == LOG_RETENTION_DAYS
            for g in groups
        ):
            return
    logs.put_retention_policy(logGroupName=name, retentionInDays=LOG_RETENTION_DAYS)


def resource_of(deployed: dict[str, Any], resource_type: str) -> dict[str, Any]:
    for resource in deployed.get("resources", []):
        if resource.get("resource_type") == resource_type:
            return dict(resource)
    return {}


def api_url_of(deployed: dict[str, Any]) -> str:
    return str(resource_of(deployed, "rest_api").get("rest_api_url", "")).rstrip("/")


def _merged(known: dict[str, Any], made: list[dict[str, Any]]) -> dict[str, Any]:
    """The known record updated with what an interrupted deploy made: resources it had not
    reached yet (the reserved REST API among them) stay recorded."""
    made_names = {resource["name"] for resource in made}
    kept = [r for r in known.get("resources", []) if r.get("name") not in made_names]
    return {"schema_version": "2.0", "backend": "api", "resources": [*kept, *made]}


def _deployer(client: TypedAWSClient, config: Any, executor: Executor) -> Deployer:
    # chalice.deploy.deployer.create_default_deployer, with our executor kept so that what
    # it created before a failure can be recorded.
    osutils = OSUtils()
    return Deployer(
        application_builder=ApplicationGraphBuilder(),
        deps_builder=DependencyBuilder(),
        build_stage=create_build_stage(
            osutils, UI(out=io.StringIO()), TemplatedSwaggerGenerator(), config
        ),
        plan_stage=PlanStage(
            osutils=osutils,
            remote_state=RemoteState(client, config.deployed_resources(config.chalice_stage)),
        ),
        sweeper=ResourceSweeper(),
        executor=executor,
        # The state file, not .chalice/deployed, keeps what was deployed.
        recorder=NoopResultsRecorder(osutils=osutils),
    )


def _still_there(aws: Aws, names: Names, deployed: dict[str, Any]) -> bool:
    rest_api_id = resource_of(deployed, "rest_api").get("rest_api_id")
    if not rest_api_id or not resource_of(deployed, "lambda_function"):
        return False
    lam, apigateway, events = (aws.client(s) for s in ("lambda", "apigateway", "events"))
    try:
        for function in names.functions.values():
            lam.get_function(FunctionName=function)
        apigateway.get_rest_api(restApiId=rest_api_id)
        events.describe_rule(Name=names.schedule_rule)
    except (
        lam.exceptions.ResourceNotFoundException,
        apigateway.exceptions.NotFoundException,
        events.exceptions.ResourceNotFoundException,
    ):
        return False
    return True


def _first_line(exc: Exception) -> str:
    """Chalice's error text without its banner line."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if lines and lines[0].startswith("ERROR - While deploying"):
        lines = lines[1:]
    return " ".join(lines)[:400] or type(exc).__name__
