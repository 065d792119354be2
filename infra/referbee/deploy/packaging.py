"""`referbee package`: CloudFormation for teams that deploy through their own pipeline.

Chalice's own package output (a SAM template, `sam.json`, and `deployment.zip`) with the
stage's table (kept on stack deletion), site bucket, bucket policy and log groups added, the
rollup function fed by the table's stream, the click function's URL (link_template.py), and
the API function's layer (`payments-layer.zip`, layers.py). Every
ARN is a `Fn::Sub` on the stack's account and region, so the template is account-neutral.
The secrets parameter is not in the template (CloudFormation cannot create SecureStrings);
docs/deploy.md shows the one `aws ssm put-parameter` command that creates it."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalice.cli.factory import CLIFactory

from chalicelib.store.table import TTL_ATTRIBUTE, table_definition

from .. import legacy
from ..config import load_config
from .app import subscribe_rollups
from .errors import DeployError
from .keys import public_programs
from .layers import LAYERS, build_layer, python_runtime
from .link_template import CLICK_FUNCTION, add_link_resources
from .links import link_domain
from .names import API_GATEWAY_STAGE, API_HANDLER, CLICKS, ROLLUPS, SCHEDULED, Names, check_stage
from .policy import cloudformation_names, function_policies, log_group
from .project import LAMBDA_MEMORY_MB, LOG_RETENTION_DAYS, StageSettings, stage_project

TEMPLATE = "sam.json"
TABLE = "ReferbeeTable"
BUCKET = "SiteBucket"
FUNCTION = "APIHandler"
SCHEDULED_FUNCTION = "DueWork"  # Chalice's resource name for the `due_work` function
ROLLUP_FUNCTION = "Rollups"  # and for the `rollups` function
RESOURCES = {  # the template's resource of each Chalice function
    API_HANDLER: FUNCTION,
    SCHEDULED: SCHEDULED_FUNCTION,
    ROLLUPS: ROLLUP_FUNCTION,
    CLICKS: CLICK_FUNCTION,
}
# Chalice writes the stream's ARN into the template as it finds it on the app; the stack's
# table only has one once it exists, so the template refers to it (`Fn::GetAtt`) instead.
STREAM_PLACEHOLDER = "arn:aws:dynamodb:us-east-1:000000000000:table/referbee/stream/package"
STREAM_ARN = {"Fn::GetAtt": [TABLE, "StreamArn"]}
# Chalice's own EndpointURL output, without its trailing slash.
API_URL = "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + API_GATEWAY_STAGE


@dataclass
class PackageOptions:
    stage: str
    out: Path
    config_path: Path | None = None
    build_dir: Path = Path("build")


def package(options: PackageOptions) -> list[Path]:
    """Write the template and code package into `options.out`; return the files written."""
    check_stage(options.stage)
    if options.config_path is None and not legacy.config_file().exists():
        raise DeployError(
            "no referbee.yaml here: write one (see docs/config.md) or pass --config FILE"
        )
    document, _ = load_config(options.config_path)
    names = cloudformation_names(options.stage)
    environment = {
        "REFERBEE_TABLE": names.table,
        "REFERBEE_SECRETS_PARAMETER": names.secrets_parameter,
        "REFERBEE_SITE_URL": "",  # replaced by the bucket's website URL below
        "REFERBEE_STREAM_ARN": STREAM_PLACEHOLDER,  # replaced by the table's stream below
    }
    settings = StageSettings(
        environment,
        {SCHEDULED: {"REFERBEE_API_URL": ""}},  # replaced by the stack's REST API URL below
        function_policies(names, document),
    )
    project = options.build_dir / "chalice-package" / options.stage
    stage_project(project, names, settings, public_programs(document), None)
    if options.out.exists():
        shutil.rmtree(options.out)
    _chalice_package(project, options.stage, options.out)
    template_path = options.out / TEMPLATE
    template = json.loads(template_path.read_text())
    add_stage_resources(template, names)
    add_link_resources(template, names, link_domain(document))
    add_layers(template, names, options.out, options.build_dir)
    template_path.write_text(json.dumps(template, indent=2, sort_keys=True) + "\n")
    return sorted(p for p in options.out.iterdir() if p.is_file())


def add_layers(template: dict[str, Any], names: Names, out: Path, build_dir: Path) -> None:
    """Each layer (deploy/layers.py) as a `<name>-layer.zip` beside the code package, its
    LayerVersion resource, and its ARN in the functions it is attached to."""
    runtime = python_runtime()
    resources = template["Resources"]
    for layer in LAYERS:
        archive = f"{layer.name}-layer.zip"
        shutil.copy2(build_layer(layer, build_dir, runtime), out / archive)
        resource = f"{layer.name.capitalize()}Layer"
        resources[resource] = {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "LayerName": names.layer(layer.name),
                "Description": layer.description,
                "ContentUri": f"./{archive}",
                "CompatibleRuntimes": [runtime],
                "RetentionPolicy": "Delete",
            },
        }
        for function in layer.functions:
            properties = resources[RESOURCES[function]]["Properties"]
            properties["Layers"] = [*properties.get("Layers", []), {"Ref": resource}]


def add_stage_resources(template: dict[str, Any], names: Names) -> None:
    resources = template["Resources"]
    resources[TABLE] = {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": _table_properties(names),
    }
    resources[BUCKET] = {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "WebsiteConfiguration": {"IndexDocument": "index.html", "ErrorDocument": "404.html"},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": False,
                "RestrictPublicBuckets": False,
            },
        },
    }
    resources["SiteBucketPolicy"] = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": BUCKET},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": "${SiteBucket.Arn}/*"},
                    }
                ],
            },
        },
    }
    for resource, name in (
        (FUNCTION, names.function),
        (SCHEDULED_FUNCTION, names.scheduled_function),
        (ROLLUP_FUNCTION, names.rollup_function),
        (CLICK_FUNCTION, names.click_function),
    ):
        _name_function(resources, resource, name)
    _feed_stream(resources)
    scheduled = resources[SCHEDULED_FUNCTION]["Properties"]["Environment"]["Variables"]
    scheduled["REFERBEE_API_URL"] = {"Fn::Sub": API_URL}
    outputs = template.setdefault("Outputs", {})
    outputs["ScheduledFunctionName"] = {"Value": {"Ref": SCHEDULED_FUNCTION}}
    outputs["RollupFunctionName"] = {"Value": {"Ref": ROLLUP_FUNCTION}}
    outputs["SiteURL"] = {"Value": {"Fn::GetAtt": [BUCKET, "WebsiteURL"]}}
    outputs["SiteBucket"] = {"Value": {"Ref": BUCKET}}
    outputs["TableName"] = {"Value": {"Ref": TABLE}}


def _name_function(resources: dict[str, Any], resource: str, name: str) -> None:
    """Give the function its stage's name and a log group with a retention period, created
    before it (Lambda would otherwise create one that keeps logs forever)."""
    group = f"{resource}LogGroup"
    resources[group] = {
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
        "Properties": {"LogGroupName": log_group(name), "RetentionInDays": LOG_RETENTION_DAYS},
    }
    function = resources[resource]
    function["DependsOn"] = sorted({*function.get("DependsOn", []), group})
    properties = function["Properties"]
    properties["FunctionName"] = name
    properties["MemorySize"] = LAMBDA_MEMORY_MB
    variables = properties["Environment"]["Variables"]
    variables["REFERBEE_SITE_URL"] = {"Fn::GetAtt": [BUCKET, "WebsiteURL"]}


def _feed_stream(resources: dict[str, Any]) -> None:
    """Point every function's REFERBEE_STREAM_ARN, and the rollup function's DynamoDB event,
    at the stack's table."""
    for resource in resources.values():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        variables = resource["Properties"]["Environment"]["Variables"]
        if variables.get("REFERBEE_STREAM_ARN") == STREAM_PLACEHOLDER:
            variables["REFERBEE_STREAM_ARN"] = STREAM_ARN
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "DynamoDB":
                event["Properties"]["Stream"] = STREAM_ARN
    leftover = json.dumps(resources)
    if STREAM_PLACEHOLDER in leftover:
        raise DeployError("the packaged template still names no stream for the rollup function")


def _table_properties(names: Names) -> dict[str, Any]:
    definition = table_definition(names.table)
    return {
        "TableName": names.table,
        "BillingMode": definition["BillingMode"],
        "AttributeDefinitions": definition["AttributeDefinitions"],
        "KeySchema": definition["KeySchema"],
        "GlobalSecondaryIndexes": definition["GlobalSecondaryIndexes"],
        "StreamSpecification": {
            "StreamViewType": definition["StreamSpecification"]["StreamViewType"]
        },
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "TimeToLiveSpecification": {"AttributeName": TTL_ATTRIBUTE, "Enabled": True},
        "DeletionProtectionEnabled": True,
    }


def _chalice_package(project: Path, stage: str, out: Path) -> None:
    # Chalice resolves a region to pick partition-specific values even though packaging
    # calls no AWS API; any region does, the template itself is region-neutral.
    environ = dict(os.environ)
    environ["AWS_DEFAULT_REGION"] = environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = environ["AWS_DEFAULT_REGION"]
    try:
        factory = CLIFactory(str(project), environ=environ)
        config = factory.create_config_obj(chalice_stage_name=stage, autogen_policy=False)
        subscribe_rollups(config)
        packager = factory.create_app_packager(
            config, factory.create_package_options(), "cloudformation", "json"
        )
        packager.package_app(config, str(out), stage)
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
