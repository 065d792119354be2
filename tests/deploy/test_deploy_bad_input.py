"""Bad input to `referbee deploy`: each ends with one clear message, and nothing is left made
without a record of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .inventory import inventory
from .moto_aws import REGION, client
from .support import CONFIG, Referbee, make_workdir

pytestmark = pytest.mark.deploy


def nothing_created(endpoint: str) -> bool:
    return all(not resources for resources in inventory(endpoint).values())


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("referbee:")]


@pytest.fixture
def referbee(fresh_aws: str, tmp_path: Path) -> Referbee:
    return Referbee(fresh_aws, make_workdir(tmp_path / "work"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "Prod!"], "the stage name 'Prod!' is not valid"),
        (["--stage", "a" * 17], "is not valid: use 1-16 lower-case letters"),
        (["--region", "eu-wset-1"], "'eu-wset-1' is not an AWS region (did you mean 'eu-west-1'?)"),
        (["--bucket", "Bad_Bucket"], "'Bad_Bucket' is not a valid S3 bucket name"),
        (["--profile", "nobody"], "the AWS profile 'nobody' does not exist"),
    ],
)
def test_bad_arguments_stop_before_anything_is_made(
    referbee: Referbee, args: list[str], message: str
) -> None:
    result = referbee("deploy", *args)
    assert result.exit_code == 1, result.output
    assert [line for line in error_lines(result.output) if message in line], result.output
    assert nothing_created(referbee.endpoint)


def test_no_credentials(
    referbee: Referbee, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = referbee("deploy", "--region", REGION)
    assert result.exit_code == 1
    assert error_lines(result.output) == [
        "referbee: no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
        "AWS_SECRET_ACCESS_KEY, run 'aws configure', or pass --profile"
    ]


def test_config_error_lists_problems_and_makes_nothing(referbee: Referbee) -> None:
    (referbee.workdir / "referbee.yaml").write_text(CONFIG.replace("https://", "ftp://"))
    result = referbee("deploy", "--region", REGION)
    assert result.exit_code == 2
    assert "the configuration has problems" in result.output
    assert "program 'beans'.landing_url" in result.output
    assert nothing_created(referbee.endpoint)


def test_missing_config_file_is_named(referbee: Referbee) -> None:
    (referbee.workdir / "referbee.yaml").unlink()
    result = referbee("deploy", "--region", REGION)
    assert result.exit_code == 1
    assert "no referbee.yaml here" in result.output


def test_bucket_taken_by_another_account(referbee: Referbee) -> None:
    other = _other_account_credentials(referbee.endpoint)
    s3 = client("s3", referbee.endpoint, **other)
    s3.create_bucket(Bucket="taken-site", CreateBucketConfiguration={"LocationConstraint": REGION})
    result = referbee("deploy", "--region", REGION, "--bucket", "taken-site")
    assert result.exit_code == 1, result.output
    assert error_lines(result.output) == [
        "referbee: the bucket name 'taken-site' is taken by another AWS account; "
        "choose another with --bucket NAME"
    ]
    # What was made before the bucket step is recorded, so destroy can remove it.
    state = json.loads((referbee.workdir / ".referbee/deployed/prod.json").read_text())
    assert state["table"]["name"] == "referbee-prod"
    assert "bucket" not in state
    assert state["incomplete_step"] == "Site bucket"
    assert referbee("destroy", "--delete-data", input="prod\n").exit_code == 0
    left = inventory(referbee.endpoint)
    assert left["tables"] == {} and left["parameters"] == {}
    assert list(left["buckets"]) == []  # the other account's bucket is not ours to list


def test_ctrl_c_mid_way_is_recorded_and_rerun_continues(
    referbee: Referbee, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referbee.deploy import upload

    real_sync = upload.sync

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(upload, "sync", interrupted)
    result = referbee("deploy", "--region", REGION, "--stage", "ctrlc")
    assert result.exit_code == 130
    assert "deploy interrupted. Everything created so far is recorded in" in result.output
    state = json.loads((referbee.workdir / ".referbee/deployed/ctrlc.json").read_text())
    assert state["incomplete_step"] == "Upload to S3"
    assert {"table", "secrets", "bucket", "app", "admin_key"} <= set(state)
    monkeypatch.setattr(upload, "sync", real_sync)
    again = referbee("deploy", "--region", REGION, "--stage", "ctrlc")
    assert again.exit_code == 0, again.output
    assert "= API" in again.output  # the API deployed before Ctrl-C is not deployed again
    state = json.loads((referbee.workdir / ".referbee/deployed/ctrlc.json").read_text())
    assert "incomplete_step" not in state
    made = inventory(referbee.endpoint)
    assert sorted(made["functions"]) == [
        "referbee-ctrlc",
        "referbee-ctrlc-clicks",
        "referbee-ctrlc-due_work",
        "referbee-ctrlc-rollups",
    ]
    assert list(made["rules"]) == ["referbee-ctrlc-due_work-event"]
    assert list(made["event_source_mappings"]) == ["referbee-ctrlc-rollups"]
    assert len(made["rest_apis"]) == 1


def test_other_region_than_recorded_is_refused(referbee: Referbee) -> None:
    assert referbee("deploy", "--region", REGION, "--stage", "here").exit_code == 0
    result = referbee("deploy", "--region", "eu-central-1", "--stage", "here")
    assert result.exit_code == 1
    assert "is deployed in region eu-west-1, not eu-central-1" in result.output


def _other_account_credentials(endpoint: str) -> dict[str, str]:
    sts = client("sts", endpoint)
    assumed = sts.assume_role(
        RoleArn="arn:aws:iam::111111111111:role/someone-else", RoleSessionName="other"
    )["Credentials"]
    return {
        "key": assumed["AccessKeyId"],
        "secret": assumed["SecretAccessKey"],
        "token": assumed["SessionToken"],
    }


def test_ctrl_c_inside_the_chalice_deploy_records_what_it_made(
    referbee: Referbee, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .moto_aws import MotoSwaggerAdapter

    def interrupted(self: Any, rest_api_id: str, swagger_document: Any) -> None:
        raise KeyboardInterrupt

    # The REST API is created before Chalice runs (its address goes into the scheduled
    # function's environment), so Chalice fills it in as an existing API.
    monkeypatch.setattr(MotoSwaggerAdapter, "update_api_from_swagger", interrupted)
    result = referbee("deploy", "--region", REGION, "--stage", "half")
    assert result.exit_code == 130, result.output
    state = json.loads((referbee.workdir / ".referbee/deployed/half.json").read_text())
    recorded = {r["resource_type"] for r in state["app"]["chalice"]["resources"]}
    assert {"iam_role", "lambda_function", "rest_api"} <= recorded
    made = inventory(referbee.endpoint)
    # Chalice makes the REST API last: the functions and the stream's mapping came first.
    assert sorted(made["functions"]) == [
        "referbee-half",
        "referbee-half-clicks",
        "referbee-half-due_work",
        "referbee-half-rollups",
    ]
    (rest_api_id,) = made["rest_apis"]
    assert made["rest_apis"][rest_api_id]["routes"] == {}  # reserved, not yet filled in
    assert rest_api_id in json.dumps(state["app"]["chalice"])

    monkeypatch.undo()
    again = referbee("deploy", "--region", REGION, "--stage", "half")
    assert again.exit_code == 0, again.output
    made = inventory(referbee.endpoint)
    assert sorted(made["functions"]) == [
        "referbee-half",
        "referbee-half-clicks",
        "referbee-half-due_work",
        "referbee-half-rollups",
    ]
    assert sorted(made["roles"]) == [
        "referbee-half-api_handler",
        "referbee-half-clicks",
        "referbee-half-due_work",
        "referbee-half-rollups",
    ]
    assert list(made["rules"]) == ["referbee-half-due_work-event"]
    assert len(made["event_source_mappings"]["referbee-half-rollups"]) == 1  # not made twice
    assert list(made["rest_apis"]) == [rest_api_id]
    assert made["rest_apis"][rest_api_id]["routes"]

    assert referbee("destroy", "--stage", "half", "--delete-data", input="half\n").exit_code == 0
    assert nothing_created(referbee.endpoint)


def test_ctrl_c_after_the_rest_api_is_reserved_leaves_it_recorded(
    referbee: Referbee, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referbee.deploy import deployment

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(deployment, "deploy_app", interrupted)
    result = referbee("deploy", "--region", REGION, "--stage", "early")
    assert result.exit_code == 130, result.output
    (rest_api_id,) = inventory(referbee.endpoint)["rest_apis"]
    state = json.loads((referbee.workdir / ".referbee/deployed/early.json").read_text())
    assert state["app"]["chalice"]["resources"][0]["rest_api_id"] == rest_api_id
    assert referbee("destroy", "--stage", "early", "--delete-data", input="early\n").exit_code == 0
    assert nothing_created(referbee.endpoint)
