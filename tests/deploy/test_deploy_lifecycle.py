"""`refkit deploy`, re-deploy, config change, `destroy`, `destroy --delete-data`, run against
moto in server mode; after each phase everything moto holds is read back and checked.

API Gateway: see tests/deploy/moto_aws.py for exactly what the Swagger adapter replaces."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore.client
import pytest

from chalicelib.domain.admin import hash_key
from chalicelib.store.dynamo import DynamoStore
from chalicelib.store.records import AdminKey
from refkit.deploy.names import Names
from refkit.deploy.policy import lambda_policy
from refkit.deploy.upload import LONG_CACHE, NO_CACHE, SHORT_CACHE, content_type_of

from .conftest import CONFIG, IDENTITY_SECRET, Refkit, make_workdir
from .inventory import inventory
from .lambda_run import body_of, invoke_package, proxy_event
from .moto_aws import ACCOUNT, REGION, client

pytestmark = pytest.mark.deploy

STAGE = "test"
NAMES = Names(STAGE, REGION, ACCOUNT)


@dataclass
class Lifecycle:
    workdir: Path
    outputs: dict[str, str] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    after: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: set[tuple[str, str, str]] = field(default_factory=set)
    state: dict[str, Any] = field(default_factory=dict)
    admin_key_record: AdminKey | None = None
    lambda_replies: dict[str, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def lifecycle(aws: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lifecycle]:
    from .moto_aws import reset

    reset(aws)
    workdir = make_workdir(tmp_path_factory.mktemp("deploy"))
    refkit = Refkit(aws, workdir)
    run = Lifecycle(workdir)
    deploy = ["deploy", "--stage", STAGE, "--region", REGION]
    phases: list[tuple[str, list[str], str | None]] = [
        ("deploy", deploy, None),
        ("redeploy", deploy, None),
        ("changed", deploy, None),
        ("destroy", ["destroy", "--stage", STAGE], None),
        ("wrong-confirmation", ["destroy", "--stage", STAGE, "--delete-data"], "prod\n"),
        ("delete-data", ["destroy", "--stage", STAGE, "--delete-data"], f"{STAGE}\n"),
    ]
    with _recording(run.calls):
        for phase, args, answer in phases:
            if phase == "changed":
                (workdir / "refkit.yaml").write_text(CONFIG.replace("Bean There", "Bean Here"))
            result = refkit(*args, input=answer)
            run.outputs[phase] = result.output
            run.codes[phase] = result.exit_code
            state_file = workdir / ".refkit" / "deployed" / f"{STAGE}.json"
            if state_file.exists():
                run.state[phase] = json.loads(state_file.read_text())
            with _paused(run.calls):
                run.after[phase] = inventory(aws)
                if phase == "deploy":
                    run.admin_key_record = _stored_admin_key(aws, result.output)
                if phase == "redeploy":  # after its snapshot: the code writes to the table
                    run.lambda_replies = _run_deployed_code(run, aws)
    yield run
    reset(aws)


def test_every_phase_succeeds(lifecycle: Lifecycle) -> None:
    for phase, code in lifecycle.codes.items():
        expected = 1 if phase == "wrong-confirmation" else 0
        assert code == expected, f"{phase}:\n{lifecycle.outputs[phase]}"


def test_table_is_on_demand_with_pitr_ttl_deletion_protection_and_indexes(
    lifecycle: Lifecycle,
) -> None:
    tables = lifecycle.after["deploy"]["tables"]
    assert list(tables) == [NAMES.table]
    described = tables[NAMES.table]
    assert described["table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert described["table"]["DeletionProtectionEnabled"] is True
    indexes = {i["IndexName"] for i in described["table"]["GlobalSecondaryIndexes"]}
    assert indexes == {"GSI1", "GSI2"}
    assert described["ttl"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    pitr = described["backups"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"


def test_role_policy_is_exactly_the_generated_one_with_no_star_resource(
    lifecycle: Lifecycle,
) -> None:
    roles = lifecycle.after["deploy"]["roles"]
    assert list(roles) == [NAMES.role]
    policies = roles[NAMES.role]["policies"]
    assert list(policies.values()) == [lambda_policy(NAMES)]
    for statement in lambda_policy(NAMES)["Statement"]:
        for resource in statement["Resource"]:
            assert resource != "*"
            assert f":{ACCOUNT}:" in resource
    table_statement = lambda_policy(NAMES)["Statement"][0]
    assert table_statement["Resource"] == [
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAMES.table}"
    ]


def test_function_environment_names_table_site_and_secrets_but_holds_no_secret(
    lifecycle: Lifecycle,
) -> None:
    functions = lifecycle.after["deploy"]["functions"]
    assert list(functions) == [NAMES.function]
    config = functions[NAMES.function]["config"]
    variables = config["Environment"]["Variables"]
    site_url = lifecycle.state["deploy"]["bucket"]["site_url"]
    assert variables["REFKIT_TABLE"] == NAMES.table
    assert variables["REFKIT_SITE_URL"] == site_url
    assert variables["REFKIT_SECRETS_PARAMETER"] == f"{NAMES.secrets_parameter}:1"
    assert config["Role"] == lifecycle.after["deploy"]["roles"][NAMES.role]["arn"]
    assert config["MemorySize"] == 256
    secrets = json.loads(lifecycle.after["deploy"]["parameters"][NAMES.secrets_parameter]["Value"])
    assert secrets["identity_secrets"] == {"beans": IDENTITY_SECRET}
    assert len(secrets["secret"]) >= 32
    assert IDENTITY_SECRET not in json.dumps(config)
    assert secrets["secret"] not in json.dumps(config)


def test_code_package_carries_programs_without_secrets(lifecycle: Lifecycle) -> None:
    project = lifecycle.workdir / "build" / "chalice" / STAGE
    programs = json.loads((project / "chalicelib" / "programs.json").read_text())
    assert programs["programs"][0]["id"] == "beans"
    assert "identity_secret" not in programs["programs"][0]
    packages = list((project / ".chalice" / "deployments").glob("*.zip"))
    assert packages
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            for name in archive.namelist():
                assert IDENTITY_SECRET.encode() not in archive.read(name), name


def test_rest_api_routes_reach_the_function_and_its_stage_is_deployed(
    lifecycle: Lifecycle,
) -> None:
    apis = lifecycle.after["deploy"]["rest_apis"]
    assert len(apis) == 1
    (api_id, api), *_ = apis.items()
    function_arn = lifecycle.after["deploy"]["functions"][NAMES.function]["config"]["FunctionArn"]
    for route in ("GET /r/{code}", "GET /v1/programs/{program}", "GET /p.gif"):
        integration = api["routes"][route]
        assert integration["type"] == "AWS_PROXY"
        assert function_arn in integration["uri"]
    assert api["stages"] == ["api"]
    api_url = lifecycle.state["deploy"]["app"]["api_url"]
    assert api_url == f"https://{api_id}.execute-api.{REGION}.amazonaws.com/api"
    permission = lifecycle.after["deploy"]["functions"][NAMES.function]["policy"]
    principals = [s["Principal"]["Service"] for s in permission["Statement"]]
    assert principals == ["apigateway.amazonaws.com"]


def test_bucket_holds_every_built_file_with_its_type_and_cache_policy(
    lifecycle: Lifecycle,
) -> None:
    site = lifecycle.workdir / "build" / "site"
    built = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
    objects = lifecycle.after["changed"]["buckets"][NAMES.bucket]["objects"]
    assert set(objects) == set(built)
    for key, stored in objects.items():
        assert stored["content_type"] == content_type_of(key), key
        if key.endswith(".html"):
            assert stored["cache_control"] == NO_CACHE
        elif re.search(r"\.[0-9a-f]{8,}\.", key.rsplit("/", 1)[-1]):
            assert stored["cache_control"] == LONG_CACHE, key
        else:
            assert stored["cache_control"] == SHORT_CACHE, key
    assert any(stored["cache_control"] == LONG_CACHE for stored in objects.values())
    assert objects["index.html"]["content_type"] == "text/html; charset=utf-8"
    baked = json.loads((site / "refkit.json").read_text())
    assert baked["api"] == lifecycle.state["deploy"]["app"]["api_url"]
    policy = lifecycle.after["deploy"]["buckets"][NAMES.bucket]["policy"]
    assert policy["Statement"][0]["Action"] == "s3:GetObject"


def test_first_admin_key_is_printed_once_and_stored_only_as_a_hash(
    lifecycle: Lifecycle, aws: str
) -> None:
    printed = re.findall(r"Admin key\s+(rk_\S+)", lifecycle.outputs["deploy"])
    assert len(printed) == 1
    assert "Admin key" not in lifecycle.outputs["redeploy"]
    digest = lifecycle.state["deploy"]["admin_key"]["hash"]
    assert digest == hash_key(printed[0])
    assert printed[0] not in json.dumps(lifecycle.state["deploy"])


def test_redeploy_with_nothing_changed_changes_nothing_and_says_so(lifecycle: Lifecycle) -> None:
    assert "nothing changed" in lifecycle.outputs["redeploy"]
    assert lifecycle.after["redeploy"] == lifecycle.after["deploy"]


def test_config_change_updates_only_the_api_and_the_changed_files(lifecycle: Lifecycle) -> None:
    output = lifecycle.outputs["changed"]
    assert re.search(r"\+ API .*: deployed", output)
    assert re.search(r"= DynamoDB table .*up to date", output)
    assert re.search(r"= Site bucket .*up to date", output)
    assert re.search(r"\+ Upload to S3 .* uploaded, 0 deleted, \d+ unchanged", output)
    before, after = lifecycle.after["deploy"], lifecycle.after["changed"]
    for kind in ("tables", "roles", "functions", "rest_apis", "buckets", "parameters"):
        assert list(after[kind]) == list(before[kind]), kind
    objects_before = before["buckets"][NAMES.bucket]["objects"]
    objects_after = after["buckets"][NAMES.bucket]["objects"]
    changed = [k for k in objects_after if objects_after[k] != objects_before.get(k)]
    assert "index.html" in changed
    assert len(changed) < len(objects_after)


def test_destroy_leaves_only_the_table_and_its_secrets(lifecycle: Lifecycle) -> None:
    left = lifecycle.after["destroy"]
    assert list(left["tables"]) == [NAMES.table]
    assert list(left["parameters"]) == [NAMES.secrets_parameter]
    for kind in ("roles", "functions", "rest_apis", "buckets", "log_groups", "distributions"):
        assert left[kind] == {}, kind
    assert "kept" in lifecycle.outputs["destroy"]


def test_delete_data_needs_the_stage_name_typed(lifecycle: Lifecycle) -> None:
    assert "is not the stage name" in lifecycle.outputs["wrong-confirmation"]
    assert lifecycle.after["wrong-confirmation"] == lifecycle.after["destroy"]


def test_destroy_delete_data_leaves_nothing(lifecycle: Lifecycle) -> None:
    left = lifecycle.after["delete-data"]
    assert all(not resources for resources in left.values()), left
    assert not (lifecycle.workdir / ".refkit" / "deployed" / f"{STAGE}.json").exists()


def test_printed_admin_key_is_accepted_by_the_deployed_table(lifecycle: Lifecycle) -> None:
    assert lifecycle.admin_key_record is not None
    assert lifecycle.admin_key_record.allows("beans", write=True)


def test_deployer_policy_allows_every_call_deploy_and_destroy_made(lifecycle: Lifecycle) -> None:
    policy = json.loads((Path(__file__).parents[2] / "docs" / "deployer-policy.json").read_text())
    allowed = [a for s in policy["Statement"] for a in _as_list(s["Action"])]
    assert lifecycle.calls
    missing = sorted(
        action
        for action in {_iam_action(*call) for call in lifecycle.calls}
        if action is not None and not any(_matches(pattern, action) for pattern in allowed)
    )
    assert missing == []


def test_deployed_code_runs_with_its_environment_and_secrets(lifecycle: Lifecycle) -> None:
    replies = lifecycle.lambda_replies
    program = body_of(replies["program"])
    assert replies["program"]["statusCode"] == 200
    assert program["id"] == "beans"
    assert program["identity_required"] is True  # the identity secret came from SSM
    assert replies["unsigned"]["statusCode"] == 401
    assert replies["signed"]["statusCode"] == 201, replies["signed"]
    referrer = body_of(replies["signed"])
    api_url = lifecycle.state["deploy"]["app"]["api_url"]
    assert referrer["link"].startswith(f"{api_url}/r/")
    site_url = lifecycle.state["deploy"]["bucket"]["site_url"]
    assert referrer["stats_url"].startswith(site_url)


def _run_deployed_code(run: Lifecycle, endpoint: str) -> dict[str, dict[str, Any]]:
    (package,) = (run.workdir / "build" / "chalice" / STAGE / ".chalice" / "deployments").glob(
        "*.zip"
    )
    function = client("lambda", endpoint).get_function(FunctionName=NAMES.function)
    environment = function["Configuration"]["Environment"]["Variables"]
    api_id = run.state["deploy"]["app"]["api_url"].split("//")[1].split(".")[0]
    resource = "/v1/programs/{program}/referrers"
    path = "/v1/programs/beans/referrers"
    email = "jane@example.com"
    signature = hmac.new(IDENTITY_SECRET.encode(), email.encode(), hashlib.sha256).hexdigest()
    events = {
        "program": proxy_event(
            "GET", "/v1/programs/{program}", "/v1/programs/beans", {"program": "beans"}
        ),
        "unsigned": proxy_event("POST", resource, path, {"program": "beans"}, {"email": email}),
        "signed": proxy_event(
            "POST",
            resource,
            path,
            {"program": "beans"},
            {"email": email, "name": "Jane", "signature": signature},
            api_id=api_id,
        ),
    }
    return {
        name: invoke_package(package, run.workdir, environment, event)
        for name, event in events.items()
    }


def _stored_admin_key(endpoint: str, output: str) -> AdminKey | None:
    printed = re.search(r"Admin key\s+(rk_\S+)", output)
    if printed is None:
        return None
    store = DynamoStore(client("dynamodb", endpoint), NAMES.table)
    return store.get_admin_key(hash_key(printed.group(1)))


# botocore operation -> IAM action, where the two differ.
_ACTION_NAMES = {
    "s3:ListObjectsV2": "s3:ListBucket",
    "s3:HeadObject": "s3:GetObject",
    "s3:HeadBucket": "s3:ListBucket",
    "s3:DeleteObjects": "s3:DeleteObject",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "s3:DeleteBucketWebsite": "s3:DeleteBucketWebsite",
    "lambda:GetFunctionConfiguration": "lambda:GetFunctionConfiguration",
    "lambda:ListTags": "lambda:ListTags",
}


def _iam_action(service: str, operation: str, method: str) -> str | None:
    if service == "sts" and operation == "GetCallerIdentity":
        return None  # needs no permission
    if service == "apigateway":
        return f"apigateway:{method}"
    action = f"{service}:{operation}"
    return _ACTION_NAMES.get(action, action)


def _matches(pattern: str, action: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), action) is not None


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


class _recording:
    """Records (service, operation, HTTP method) of every AWS call made while active."""

    active = False

    def __init__(self, calls: set[tuple[str, str, str]]) -> None:
        self.calls = calls
        self.original = botocore.client.BaseClient._make_api_call

    def __enter__(self) -> None:
        calls, original = self.calls, self.original

        def recorded(client: Any, operation: str, params: Any) -> Any:
            if _recording.active:
                model = client.meta.service_model
                method = model.operation_model(operation).http.get("method", "")
                calls.add((model.signing_name or model.endpoint_prefix, operation, method))
            return original(client, operation, params)

        _recording.active = True
        botocore.client.BaseClient._make_api_call = recorded  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        _recording.active = False
        botocore.client.BaseClient._make_api_call = self.original  # type: ignore[method-assign]


class _paused:
    def __init__(self, calls: set[tuple[str, str, str]]) -> None:
        self.calls = calls

    def __enter__(self) -> None:
        _recording.active = False

    def __exit__(self, *exc: object) -> None:
        _recording.active = True
