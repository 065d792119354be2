"""Everything moto holds for the deploy tests, read back through the AWS APIs."""

from __future__ import annotations

import json
from typing import Any

from .moto_aws import client


def inventory(endpoint: str) -> dict[str, Any]:
    return {
        "tables": _tables(endpoint),
        "roles": _roles(endpoint),
        "functions": _functions(endpoint),
        "event_source_mappings": _event_source_mappings(endpoint),
        "rules": _rules(endpoint),
        "rest_apis": _rest_apis(endpoint),
        "buckets": _buckets(endpoint),
        "parameters": _parameters(endpoint),
        "log_groups": _log_groups(endpoint),
        "distributions": _distributions(endpoint),
        "layers": _layers(endpoint),
    }


def _tables(endpoint: str) -> dict[str, Any]:
    ddb = client("dynamodb", endpoint)
    tables = {}
    for name in ddb.list_tables()["TableNames"]:
        tables[name] = {
            "table": ddb.describe_table(TableName=name)["Table"],
            "ttl": ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"],
            "backups": ddb.describe_continuous_backups(TableName=name)[
                "ContinuousBackupsDescription"
            ],
        }
    return tables


def _roles(endpoint: str) -> dict[str, Any]:
    iam = client("iam", endpoint)
    roles = {}
    for role in iam.list_roles()["Roles"]:
        name = role["RoleName"]
        policies = {
            policy: iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
            for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]
        }
        roles[name] = {"arn": role["Arn"], "policies": policies}
    return roles


def _functions(endpoint: str) -> dict[str, Any]:
    lam = client("lambda", endpoint)
    functions = {}
    for function in lam.list_functions()["Functions"]:
        name = function["FunctionName"]
        try:
            policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])
        except lam.exceptions.ResourceNotFoundException:
            policy = {}
        functions[name] = {"config": function, "policy": policy}
    return functions


def _event_source_mappings(endpoint: str) -> dict[str, Any]:
    """By function name (the last part of the mapping's function ARN)."""
    lam = client("lambda", endpoint)
    mappings: dict[str, Any] = {}
    for mapping in lam.list_event_source_mappings()["EventSourceMappings"]:
        function = mapping["FunctionArn"].rsplit(":", 1)[-1]
        mappings.setdefault(function, []).append(mapping)
    return mappings


def _layers(endpoint: str) -> dict[str, Any]:
    """Each layer's versions, by layer name and version number."""
    lam = client("lambda", endpoint)
    layers: dict[str, Any] = {}
    for layer in lam.list_layers()["Layers"]:
        name = layer["LayerName"]
        versions = lam.list_layer_versions(LayerName=name)["LayerVersions"]
        layers[name] = {
            v["Version"]: lam.get_layer_version(LayerName=name, VersionNumber=v["Version"])
            for v in versions
        }
        for version in layers[name].values():
            version.pop("ResponseMetadata", None)
    return layers


def _rules(endpoint: str) -> dict[str, Any]:
    events = client("events", endpoint)
    rules = {}
    for rule in events.list_rules()["Rules"]:
        name = rule["Name"]
        targets = events.list_targets_by_rule(Rule=name)["Targets"]
        rules[name] = {"rule": rule, "targets": targets}
    return rules


def _rest_apis(endpoint: str) -> dict[str, Any]:
    apigateway = client("apigateway", endpoint)
    apis = {}
    for api in apigateway.get_rest_apis()["items"]:
        resources = apigateway.get_resources(restApiId=api["id"], embed=["methods"])["items"]
        routes = {}
        for resource in resources:
            for verb in resource.get("resourceMethods", {}):
                integration = apigateway.get_integration(
                    restApiId=api["id"], resourceId=resource["id"], httpMethod=verb
                )
                integration.pop("ResponseMetadata", None)
                routes[f"{verb} {resource['path']}"] = integration
        stages = [s["stageName"] for s in apigateway.get_stages(restApiId=api["id"])["item"]]
        apis[api["id"]] = {"name": api["name"], "routes": routes, "stages": stages}
    return apis


def _buckets(endpoint: str) -> dict[str, Any]:
    s3 = client("s3", endpoint)
    buckets = {}
    for bucket in s3.list_buckets()["Buckets"]:
        name = bucket["Name"]
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for item in page.get("Contents", []):
                head = s3.head_object(Bucket=name, Key=item["Key"])
                objects[item["Key"]] = {
                    "etag": item["ETag"].strip('"'),
                    "content_type": head["ContentType"],
                    "cache_control": head.get("CacheControl"),
                }
        buckets[name] = {"objects": objects, "policy": _bucket_policy(s3, name)}
    return buckets


def _bucket_policy(s3: Any, name: str) -> Any:
    try:
        return json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    except s3.exceptions.ClientError:
        return None


def _parameters(endpoint: str) -> dict[str, Any]:
    ssm = client("ssm", endpoint)
    names = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
    return {name: ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"] for name in names}


def _log_groups(endpoint: str) -> dict[str, Any]:
    logs = client("logs", endpoint)
    return {g["logGroupName"]: g for g in logs.describe_log_groups()["logGroups"]}


def _distributions(endpoint: str) -> dict[str, Any]:
    cloudfront = client("cloudfront", endpoint)
    listing = cloudfront.list_distributions()["DistributionList"]
    return {d["Id"]: d for d in listing.get("Items", [])}
