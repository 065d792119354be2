"""`referbee package`: Chalice's SAM template plus the stage's table and bucket; cfn-lint
passes on it (and fails on a broken one, so the check can fail)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from referbee.cli import main
from referbee.deploy.links import CACHING_DISABLED
from referbee.deploy.packaging import STREAM_PLACEHOLDER
from referbee.deploy.policy import (
    cloudformation_names,
    lambda_policy,
    rollup_policy,
    scheduled_policy,
)

from .support import CONFIG, IDENTITY_SECRET, SENDER, make_workdir

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package_in(make_workdir(tmp_path_factory.mktemp("package"))) / "out"


def package_in(workdir: Path) -> Path:
    """`referbee package --stage prod out` run in `workdir`; the workdir."""
    previous = Path.cwd()
    os.chdir(workdir)
    try:
        result = CliRunner().invoke(main, ["package", "--stage", "prod", "out"])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return workdir


def cfn_lint(template: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), str(template)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_cfn_lint_passes_on_the_package(packaged: Path) -> None:
    linted = cfn_lint(packaged / "sam.json")
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_cfn_lint_fails_on_a_broken_template(packaged: Path, tmp_path: Path) -> None:
    template = json.loads((packaged / "sam.json").read_text())
    del template["Resources"]["ReferbeeTable"]["Properties"]["KeySchema"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(template))
    assert cfn_lint(broken).returncode != 0


def test_table_is_retained_with_its_settings(packaged: Path) -> None:
    table = template_of(packaged)["Resources"]["ReferbeeTable"]
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["TableName"] == "referbee-prod"
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert {i["IndexName"] for i in properties["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2"}


def test_each_function_has_its_deploy_policy_on_the_stack_account(packaged: Path) -> None:
    resources = template_of(packaged)["Resources"]
    names = cloudformation_names("prod")
    expected = {
        "ApiHandlerRole": lambda_policy(names),
        "DueWorkRole": scheduled_policy(names, (SENDER,)),
        "RollupsRole": rollup_policy(names),
    }
    for role, document in expected.items():
        (policy,) = resources[role]["Properties"]["Policies"]
        assert policy["PolicyDocument"] == document
        for statement in policy["PolicyDocument"]["Statement"]:
            for resource in statement["Resource"]:
                assert resource != "*"
                assert "${AWS::AccountId}" in resource["Fn::Sub"]
    assert resources["APIHandler"]["Properties"]["Role"] == {
        "Fn::GetAtt": ["ApiHandlerRole", "Arn"]
    }
    assert resources["DueWork"]["Properties"]["Role"] == {"Fn::GetAtt": ["DueWorkRole", "Arn"]}
    assert resources["Rollups"]["Properties"]["Role"] == {"Fn::GetAtt": ["RollupsRole", "Arn"]}


def test_each_function_with_its_environment_log_group_and_event(
    packaged: Path,
) -> None:
    resources = template_of(packaged)["Resources"]
    site_url = {"Fn::GetAtt": ["SiteBucket", "WebsiteURL"]}
    stream_arn = {"Fn::GetAtt": ["ReferbeeTable", "StreamArn"]}
    functions = {
        "APIHandler": "referbee-prod",
        "DueWork": "referbee-prod-due_work",
        "Rollups": "referbee-prod-rollups",
        "Clicks": "referbee-prod-clicks",
    }
    for resource, name in functions.items():
        function = resources[resource]
        properties = function["Properties"]
        assert properties["FunctionName"] == name
        variables = properties["Environment"]["Variables"]
        assert variables["REFERBEE_TABLE"] == "referbee-prod"
        assert variables["REFERBEE_SECRETS_PARAMETER"] == "/referbee/prod/secrets"
        assert variables["REFERBEE_SITE_URL"] == site_url
        assert variables["REFERBEE_STREAM_ARN"] == stream_arn
        # Referral links point at the click function's URL, off the REST API.
        assert variables["REFERBEE_LINK_URL"] == {"Fn::GetAtt": ["ClicksUrl", "FunctionUrl"]}
        group = resources[f"{resource}LogGroup"]["Properties"]
        assert group == {"LogGroupName": f"/aws/lambda/{name}", "RetentionInDays": 30}
        assert f"{resource}LogGroup" in function["DependsOn"]
    api = resources["APIHandler"]["Properties"]
    assert "REFERBEE_API_URL" not in api["Environment"]["Variables"]
    scheduled = resources["DueWork"]["Properties"]
    assert scheduled["Environment"]["Variables"]["REFERBEE_API_URL"] == {
        "Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}/api"
    }
    assert scheduled["Handler"] == "chalicelib.api.schedule.due_work"
    assert scheduled["Timeout"] == 60
    assert scheduled["Events"] == {
        "DueWorkEvent": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 minute)"}}
    }
    rollups = resources["Rollups"]["Properties"]
    assert rollups["Handler"] == "chalicelib.api.rollups.rollup_stream"
    assert rollups["Timeout"] == 60
    assert rollups["Events"] == {
        "RollupsDynamodbEventSource": {
            "Type": "DynamoDB",
            "Properties": {
                "Stream": stream_arn,
                "BatchSize": 1000,
                "StartingPosition": "TRIM_HORIZON",
                "MaximumBatchingWindowInSeconds": 60,
            },
        }
    }
    assert STREAM_PLACEHOLDER not in json.dumps(resources)
    assert (
        resources["SiteBucket"]["Properties"]["WebsiteConfiguration"]["IndexDocument"]
        == "index.html"
    )


def test_the_click_function_is_served_on_its_public_url(packaged: Path) -> None:
    resources = template_of(packaged)["Resources"]
    clicks = resources["Clicks"]["Properties"]
    assert clicks["Handler"] == "chalicelib.api.function_url.serve_links"
    assert clicks["FunctionUrlConfig"] == {"AuthType": "NONE"}
    invoke = resources["ClicksPublicInvoke"]["Properties"]
    assert (invoke["Principal"], invoke["InvokedViaFunctionUrl"]) == ("*", True)
    assert "LinkDistribution" not in resources


def test_a_link_domain_puts_cloudfront_before_a_signed_url(tmp_path: Path) -> None:
    workdir = package_in(make_workdir(tmp_path, "link_domain: go.beans.example\n" + CONFIG))
    linted = cfn_lint(workdir / "out" / "sam.json")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    template = template_of(workdir / "out")
    resources = template["Resources"]
    assert resources["Clicks"]["Properties"]["FunctionUrlConfig"] == {"AuthType": "AWS_IAM"}
    for function in ("APIHandler", "DueWork"):
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        assert variables["REFERBEE_LINK_URL"] == "https://go.beans.example"
    config = resources["LinkDistribution"]["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["go.beans.example"]
    assert config["ViewerCertificate"]["AcmCertificateArn"] == {"Ref": "LinkCertificateArn"}
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == CACHING_DISABLED
    oac = resources["LinkOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert oac["OriginAccessControlOriginType"] == "lambda"
    # Only this distribution may call the URL: no public permission.
    assert "ClicksPublicInvoke" not in resources
    permission = resources["ClicksCloudFrontUrl"]["Properties"]
    assert permission["Principal"] == "cloudfront.amazonaws.com"
    assert "LinkDistribution" in permission["SourceArn"]["Fn::Sub"]
    assert "LinkCertificateArn" in template["Parameters"]


def test_code_package_holds_no_secret(packaged: Path) -> None:
    with zipfile.ZipFile(packaged / "deployment.zip") as archive:
        programs = json.loads(archive.read("chalicelib/programs.json"))
        assert "identity_secret" not in programs["programs"][0]
        for name in archive.namelist():
            assert IDENTITY_SECRET.encode() not in archive.read(name), name


def template_of(packaged: Path) -> dict[str, Any]:
    return dict(json.loads((packaged / "sam.json").read_text()))


def test_the_api_function_alone_gets_the_payments_layer_from_the_package(packaged: Path) -> None:
    resources = template_of(packaged)["Resources"]
    layer = resources["PaymentsLayer"]
    assert layer["Type"] == "AWS::Serverless::LayerVersion"
    assert layer["Properties"]["ContentUri"] == "./payments-layer.zip"
    assert layer["Properties"]["LayerName"] == "referbee-prod-payments"
    assert resources["APIHandler"]["Properties"]["Layers"] == [{"Ref": "PaymentsLayer"}]
    for function in ("DueWork", "Rollups", "Clicks"):
        assert "Layers" not in resources[function]["Properties"], function
    with zipfile.ZipFile(packaged / "payments-layer.zip") as archive:
        runtime = layer["Properties"]["CompatibleRuntimes"][0]
        assert f"python/lib/{runtime}/site-packages/stripe/__init__.py" in archive.namelist()
    with zipfile.ZipFile(packaged / "deployment.zip") as archive:
        assert not [name for name in archive.namelist() if name.startswith("stripe/")]
