"""`referbee deploy`, re-deploy, config change, `destroy`, `destroy --delete-data`, run against
moto in server mode; after each phase everything moto holds is read back and checked.

Three functions are deployed: the API handler, the scheduled function (`due_work`, every
minute, through an EventBridge rule) and the rollup function (fed by the table's stream
through an event source mapping). After the redeploy, the uploaded package is run as
each function (tests/deploy/lambda_run.py: moto cannot run Lambda code), with each
function's environment as deployed; every AWS call it makes is checked against its role's
deployed policy (tests/deploy/iam_check.py: moto does not evaluate IAM policies).

API Gateway: see tests/deploy/moto_aws.py for exactly what the Swagger adapter replaces."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.config.programs import DEMO_CONFIG
from chalicelib.domain.trust.admin_keys import hash_key
from referbee.deploy.layers import python_runtime
from referbee.deploy.names import CLICKS
from referbee.deploy.policy import (
    function_policies,
    lambda_policy,
    rollup_policy,
    scheduled_policy,
)
from referbee.deploy.upload import LONG_CACHE, NO_CACHE, SHORT_CACHE, content_type_of

from .iam_check import allows, denied
from .lambda_run import body_of
from .lifecycle import (
    NAMES,
    STAGE,
    Lifecycle,
    action_matches,
    as_list,
    iam_action,
    payments_layer,
    run_lifecycle,
)
from .moto_aws import ACCOUNT, REGION, reset
from .support import IDENTITY_SECRET, SENDER, make_workdir

pytestmark = pytest.mark.deploy

CLICK_FUNCTION_RUNS = ("click", "pixel")  # run as the click function; the rest as the others


@pytest.fixture(scope="module")
def lifecycle(aws: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lifecycle]:
    reset(aws)
    yield run_lifecycle(aws, make_workdir(tmp_path_factory.mktemp("deploy")))
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


def test_each_function_has_its_own_role_with_exactly_its_policy_and_no_star_resource(
    lifecycle: Lifecycle,
) -> None:
    roles = lifecycle.after["deploy"]["roles"]
    assert sorted(roles) == sorted(
        [NAMES.role, NAMES.scheduled_role, NAMES.rollup_role, NAMES.click_function]
    )
    click_policy = function_policies(NAMES, {"programs": [dict(DEMO_CONFIG["programs"][0])]})[
        CLICKS
    ]
    expected = {
        NAMES.role: (lambda_policy(NAMES), NAMES.function),
        NAMES.scheduled_role: (scheduled_policy(NAMES, (SENDER,)), NAMES.scheduled_function),
        NAMES.rollup_role: (rollup_policy(NAMES), NAMES.rollup_function),
        NAMES.click_function: (click_policy, NAMES.click_function),
    }
    for role, (policy, function) in expected.items():
        assert list(roles[role]["policies"].values()) == [policy], role
        statements = {statement["Sid"]: statement for statement in policy["Statement"]}
        for statement in policy["Statement"]:
            for resource in statement["Resource"]:
                # The wildcards: names that Lambda (log streams) or DynamoDB (the stream's
                # label, a timestamp) choose.
                chosen = resource.removesuffix(":log-stream:*").removesuffix("/stream/*")
                assert "*" not in chosen, resource
                assert f":{ACCOUNT}:" in resource
        assert statements["Table"]["Resource"] == [
            f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAMES.table}"
        ]
        assert statements["Indexes"]["Resource"] == [
            f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAMES.table}/index/{index}"
            for index in ("GSI1", "GSI2")
        ]
        assert statements["Logs"]["Resource"] == [
            f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{function}:log-stream:*"
        ]
        assert statements["Secrets"]["Resource"] == [
            f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{NAMES.secrets_parameter}"
        ]
    sending = scheduled_policy(NAMES, (SENDER,))["Statement"][-1]
    assert sending["Action"] == ["ses:SendEmail", "ses:SendRawEmail"]
    assert sending["Resource"] == [
        f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/beanthere.example",
        f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{SENDER}",
    ]
    api_actions = [a for s in lambda_policy(NAMES)["Statement"] for a in s["Action"]]
    assert not [action for action in api_actions if action.startswith("ses:")]
    stream = {s["Sid"]: s for s in rollup_policy(NAMES)["Statement"]}["Stream"]
    assert stream["Resource"] == [
        f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAMES.table}/stream/*"
    ]
    for role, (policy, _) in expected.items():  # only the rollup function reads the stream
        if role != NAMES.rollup_role:
            assert not [s for s in policy["Statement"] if "dynamodb:GetRecords" in s["Action"]]


def test_each_function_has_its_environment_and_no_secret(lifecycle: Lifecycle) -> None:
    deployed = lifecycle.after["deploy"]
    functions = deployed["functions"]
    assert sorted(functions) == sorted(
        [NAMES.function, NAMES.scheduled_function, NAMES.rollup_function, NAMES.click_function]
    )
    site_url = lifecycle.state["deploy"]["bucket"]["site_url"]
    stream_arn = deployed["tables"][NAMES.table]["table"]["LatestStreamArn"]
    secrets = json.loads(deployed["parameters"][NAMES.secrets_parameter]["Value"])
    assert secrets["identity_secrets"] == {"beans": IDENTITY_SECRET}
    assert len(secrets["secret"]) >= 32
    roles = {
        NAMES.function: NAMES.role,
        NAMES.scheduled_function: NAMES.scheduled_role,
        NAMES.rollup_function: NAMES.rollup_role,
        NAMES.click_function: NAMES.click_function,
    }
    click_url = lifecycle.state["deploy"]["links"]["function_url"]
    for name, function in functions.items():
        config = function["config"]
        variables = config["Environment"]["Variables"]
        assert variables["REFERBEE_TABLE"] == NAMES.table
        assert variables["REFERBEE_SITE_URL"] == site_url
        assert variables["REFERBEE_SECRETS_PARAMETER"] == f"{NAMES.secrets_parameter}:1"
        assert variables["REFERBEE_STREAM_ARN"] == stream_arn
        assert variables["REFERBEE_LINK_URL"] == click_url  # where referral links point
        assert config["Role"] == deployed["roles"][roles[name]]["arn"]
        assert config["MemorySize"] == 256
        assert IDENTITY_SECRET not in json.dumps(config)
        assert secrets["secret"] not in json.dumps(config)
    api = functions[NAMES.function]["config"]
    assert "REFERBEE_API_URL" not in api["Environment"]["Variables"]  # taken from each request
    assert (api["Handler"], api["Timeout"]) == ("app.app", 10)
    scheduled = functions[NAMES.scheduled_function]["config"]
    # Right after the first deploy, with no second run.
    api_url = lifecycle.state["deploy"]["app"]["api_url"]
    assert scheduled["Environment"]["Variables"]["REFERBEE_API_URL"] == api_url
    assert (scheduled["Handler"], scheduled["Timeout"]) == ("chalicelib.api.schedule.due_work", 60)
    rollups = functions[NAMES.rollup_function]["config"]
    assert (rollups["Handler"], rollups["Timeout"]) == ("chalicelib.api.rollups.rollup_stream", 60)
    clicks = functions[NAMES.click_function]
    assert clicks["config"]["Handler"] == "chalicelib.api.function_url.serve_links"


def test_the_tables_stream_feeds_the_rollup_function_and_nothing_else(
    lifecycle: Lifecycle,
) -> None:
    deployed = lifecycle.after["deploy"]
    table = deployed["tables"][NAMES.table]["table"]
    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    mappings = deployed["event_source_mappings"]
    assert list(mappings) == [NAMES.rollup_function]
    (mapping,) = mappings[NAMES.rollup_function]
    assert mapping["EventSourceArn"] == table["LatestStreamArn"]
    assert (
        mapping["FunctionArn"]
        == (deployed["functions"][NAMES.rollup_function]["config"]["FunctionArn"])
    )
    assert (mapping["BatchSize"], mapping["StartingPosition"]) == (1000, "TRIM_HORIZON")
    assert mapping["MaximumBatchingWindowInSeconds"] == 60
    assert lifecycle.after["redeploy"]["event_source_mappings"] == mappings


def test_the_rollup_function_rolls_the_stream_up_once_however_often_it_is_delivered(
    lifecycle: Lifecycle,
) -> None:
    first, again = lifecycle.runs["rollups"], lifecycle.runs["rollups_again"]
    assert (first.reply, again.reply) == (None, None)
    assert _rolled_up(first) > 0
    assert _rolled_up(again) == 0  # a redelivered batch adds nothing
    total, total_again = lifecycle.rollup_totals
    assert total_again == total
    # Jane joined; her friend bought for 40 and Jane's reward was approved (hold_days 0).
    assert total["participants"] == 1, total
    assert (total["purchases"], total["revenue.USD"], total["customers"]) == (1, 40, 1), total
    assert total["rewards.approved.count"] >= 1, total


def test_schedule_rule_invokes_the_scheduled_function_every_minute(lifecycle: Lifecycle) -> None:
    rules = lifecycle.after["deploy"]["rules"]
    assert list(rules) == [NAMES.schedule_rule]
    rule = rules[NAMES.schedule_rule]["rule"]
    assert rule["ScheduleExpression"] == "rate(1 minute)"
    assert rule["State"] == "ENABLED"
    scheduled = lifecycle.after["deploy"]["functions"][NAMES.scheduled_function]
    targets = rules[NAMES.schedule_rule]["targets"]
    assert [target["Arn"] for target in targets] == [scheduled["config"]["FunctionArn"]]
    (permission,) = scheduled["policy"]["Statement"]
    assert permission["Principal"]["Service"] == "events.amazonaws.com"
    assert permission["Action"] == "lambda:InvokeFunction"
    assert permission["Condition"]["ArnLike"]["AWS:SourceArn"] == rule["Arn"]


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
    baked = json.loads((site / "referbee.json").read_text())
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
    for kind in ("tables", "roles", "functions", "rules", "rest_apis", "buckets", "parameters"):
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
    kinds = (
        "roles",
        "functions",
        "event_source_mappings",
        "rules",
        "rest_apis",
        "buckets",
        "log_groups",
        "distributions",
        "layers",
    )
    for kind in kinds:
        assert left[kind] == {}, kind
    assert "kept" in lifecycle.outputs["destroy"]


def test_delete_data_needs_the_stage_name_typed(lifecycle: Lifecycle) -> None:
    assert "is not the stage name" in lifecycle.outputs["wrong-confirmation"]
    assert lifecycle.after["wrong-confirmation"] == lifecycle.after["destroy"]


def test_destroy_delete_data_leaves_nothing(lifecycle: Lifecycle) -> None:
    left = lifecycle.after["delete-data"]
    assert all(not resources for resources in left.values()), left
    assert not (lifecycle.workdir / ".referbee" / "deployed" / f"{STAGE}.json").exists()


def test_printed_admin_key_is_accepted_by_the_deployed_table(lifecycle: Lifecycle) -> None:
    assert lifecycle.admin_key_record is not None
    assert lifecycle.admin_key_record.allows("beans", write=True)


def test_deployer_policy_allows_every_call_deploy_and_destroy_made(lifecycle: Lifecycle) -> None:
    policy = json.loads((Path(__file__).parents[2] / "docs" / "deployer-policy.json").read_text())
    allowed = [a for s in policy["Statement"] for a in as_list(s["Action"])]
    assert lifecycle.calls
    missing = sorted(
        action
        for action in {iam_action(*call) for call in lifecycle.calls}
        if action is not None and not any(action_matches(pattern, action) for pattern in allowed)
    )
    assert missing == []


def test_deployed_code_runs_with_its_environment_and_secrets(lifecycle: Lifecycle) -> None:
    replies = {name: run.reply for name, run in lifecycle.runs.items()}
    program = body_of(replies["program"])
    assert replies["program"]["statusCode"] == 200
    assert program["id"] == "beans"
    assert program["identity_required"] is True  # the identity secret came from SSM
    assert replies["forged"]["statusCode"] == 401  # a wrong signature, checked with it
    assert replies["signed"]["statusCode"] == 201, replies["signed"]
    referrer = body_of(replies["signed"])
    # Referral links point at the click function's URL, not at the REST API.
    click_url = lifecycle.state["deploy"]["links"]["function_url"]
    assert click_url.startswith("https://") and ".lambda-url." in click_url
    assert referrer["link"].startswith(f"{click_url}/r/")
    site_url = lifecycle.state["deploy"]["bucket"]["site_url"]
    assert referrer["stats_url"].startswith(site_url)
    assert replies["conversion"]["statusCode"] == 201, replies["conversion"]
    assert replies["refund"]["statusCode"] == 200, replies["refund"]


def test_scheduled_function_emails_the_referrer_with_links_to_the_deployed_api(
    lifecycle: Lifecycle,
) -> None:
    assert lifecycle.runs["due_work"].reply is None
    (raw,) = lifecycle.sent_emails
    email = message_from_string(raw, policy=default)
    assert isinstance(email, EmailMessage)
    assert email["From"] == f"Bean There <{SENDER}>"
    assert email["To"] == "Jane <jane@example.com>"
    body = email.get_content()
    code = body_of(lifecycle.runs["signed"].reply)["code"]
    api_url = lifecycle.state["deploy"]["app"]["api_url"]
    site_url = lifecycle.state["deploy"]["bucket"]["site_url"]
    click_url = lifecycle.state["deploy"]["links"]["function_url"]
    assert f"Keep sharing your link: {click_url}/r/{code}\n" in body
    assert f"See your numbers: {site_url}/stats/?t=" in body
    assert f"To stop these emails: {api_url}/v1/unsubscribe/" in body
    assert email["List-Unsubscribe"].startswith(f"<{api_url}/v1/unsubscribe/")


def test_scheduled_function_flushes_metrics_each_run_and_none_when_idle(
    lifecycle: Lifecycle,
) -> None:
    (line,) = [line for line in lifecycle.runs["due_work"].stdout.splitlines() if "_aws" in line]
    emf = json.loads(line)
    assert emf["Deliveries"] == [1.0]
    names = [m["Name"] for m in emf["_aws"]["CloudWatchMetrics"][0]["Metrics"]]
    assert names == ["Deliveries"]  # no reward was held (hold_days 0): no zero is sent
    assert emf["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "referbee"
    idle = lifecycle.runs["due_work_idle"]
    assert idle.reply is None
    assert "_aws" not in idle.stdout
    # An idle run reads the secrets (once per container; every run here is a cold start)
    # and makes one Query per program for due rewards and one for due outbox messages.
    operations = [(service, operation) for service, operation, _ in idle.calls]
    assert sorted(operations) == [
        ("dynamodb", "Query"),
        ("dynamodb", "Query"),
        ("ssm", "GetParameter"),
    ]
    assert all(
        params.get("IndexName") == "GSI1" for _, _, params in idle.calls if "TableName" in params
    )


def test_each_function_calls_only_what_its_deployed_role_allows(lifecycle: Lifecycle) -> None:
    roles = lifecycle.after["deploy"]["roles"]
    api_policy, *_ = roles[NAMES.role]["policies"].values()
    scheduled_policy_doc, *_ = roles[NAMES.scheduled_role]["policies"].values()
    runs = lifecycle.runs
    rollup_policy_doc, *_ = roles[NAMES.rollup_role]["policies"].values()
    click_policy_doc, *_ = roles[NAMES.click_function]["policies"].values()
    api_calls = [
        c
        for name, run in runs.items()
        if name not in CLICK_FUNCTION_RUNS and not name.startswith(("due_", "rollups"))
        for c in run.calls
    ]
    click_calls = [c for name in CLICK_FUNCTION_RUNS for c in runs[name].calls]
    assert denied(click_policy_doc, click_calls, NAMES) == []
    assert ("dynamodb", "UpdateItem") in {(service, op) for service, op, _ in click_calls}
    scheduled_calls = runs["due_work"].calls + runs["due_work_idle"].calls
    rollup_calls = runs["rollups"].calls + runs["rollups_again"].calls
    assert denied(api_policy, api_calls, NAMES) == []
    assert denied(scheduled_policy_doc, scheduled_calls, NAMES) == []
    assert denied(rollup_policy_doc, rollup_calls, NAMES) == []
    assert {("dynamodb", "TransactWriteItems"), ("ssm", "GetParameter")} <= {
        (service, operation) for service, operation, _ in rollup_calls
    }
    # What was exercised: secrets, items, both indexes, a batch read (the refund), a
    # transaction, and the email through SES.
    api_operations = {(service, operation) for service, operation, _ in api_calls}
    assert {
        ("ssm", "GetParameter"),
        ("dynamodb", "TransactWriteItems"),
        ("dynamodb", "BatchGetItem"),
    } <= api_operations
    scheduled_operations = {(service, operation) for service, operation, _ in scheduled_calls}
    assert {("ssm", "GetParameter"), ("dynamodb", "Query"), ("sesv2", "SendEmail")} <= (
        scheduled_operations
    )
    # The check can fail: the API handler's role may not send the email the scheduled
    # function sent, and without BatchGetItem the refund would be refused.
    assert denied(api_policy, scheduled_calls, NAMES) == [
        f"{action} on arn:aws:ses:{REGION}:{ACCOUNT}:identity/{SENDER} or "
        f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/beanthere.example"
        for action in ("ses:SendEmail", "ses:SendRawEmail")
    ]
    table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAMES.table}"
    assert allows(api_policy, "dynamodb:BatchGetItem", table_arn)
    without_batch = _without_action(api_policy, "dynamodb:BatchGetItem")
    assert denied(without_batch, api_calls, NAMES) == [f"dynamodb:BatchGetItem on {table_arn}"]


def _without_action(policy: dict[str, Any], action: str) -> dict[str, Any]:
    statements = [
        {**s, "Action": [a for a in as_list(s["Action"]) if a != action]}
        for s in policy["Statement"]
    ]
    return {**policy, "Statement": statements}


def _rolled_up(run: Any) -> float:
    """The RecordsRolledUp metric the run flushed."""
    (line,) = [line for line in run.stdout.splitlines() if "RecordsRolledUp" in line]
    return float(json.loads(line)["RecordsRolledUp"][0])


def test_only_the_api_function_has_the_payments_layer_and_deploys_publish_it_once(
    lifecycle: Lifecycle,
) -> None:
    layer = NAMES.layer("payments")
    arn = lifecycle.state["deploy"]["layers"]["payments"]["arn"]
    assert arn == f"arn:aws:lambda:{REGION}:{ACCOUNT}:layer:{layer}:1"
    for phase in ("deploy", "redeploy", "changed"):
        (version,) = lifecycle.after[phase]["layers"][layer].values()  # one version, kept
        assert version["LayerVersionArn"] == arn, phase
        assert lifecycle.state[phase]["layers"]["payments"]["arn"] == arn, phase
        functions = lifecycle.after[phase]["functions"]
        layers = {name: f["config"].get("Layers", []) for name, f in functions.items()}
        assert [entry["Arn"] for entry in layers.pop(NAMES.function)] == [arn], phase
        assert all(attached == [] for attached in layers.values()), layers
    assert version["CompatibleRuntimes"] == [python_runtime()]
    built = payments_layer(lifecycle.workdir)
    digest = base64.b64encode(hashlib.sha256(built.read_bytes()).digest()).decode()
    assert version["Content"]["CodeSha256"] == digest  # what deploy built is what it published
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
    assert f"python/lib/{python_runtime()}/site-packages/stripe/__init__.py" in names
    package = next(
        (lifecycle.workdir / "build" / "chalice" / STAGE).glob(".chalice/deployments/*.zip")
    )
    with zipfile.ZipFile(package) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert not tops & {"stripe", "requests", "urllib3", "certifi"}, tops


def test_the_api_function_verifies_stripe_events_with_the_stripe_of_its_layer(
    lifecycle: Lifecycle,
) -> None:
    run = lifecycle.runs["stripe"]
    assert run.reply["statusCode"] == 200, run.reply
    assert body_of(run.reply)["outcome"] == "recorded"
    stripe_file = run.loaded["stripe"] or ""
    assert stripe_file.startswith(str(lifecycle.workdir / "lambda-opt-")), stripe_file
    # The other routes never import it.
    assert "stripe" not in lifecycle.runs["program"].loaded


def test_the_click_function_answers_clicks_and_the_pixel_without_the_rest_of_the_api(
    lifecycle: Lifecycle,
) -> None:
    click, pixel = lifecycle.runs["click"], lifecycle.runs["pixel"]
    assert click.reply["statusCode"] == 302, click.reply
    assert click.reply["headers"]["Location"].startswith("https://beanthere.example/welcome")
    assert pixel.reply["statusCode"] == 200, pixel.reply
    assert pixel.reply["headers"]["Content-Type"] == "image/gif"
    assert base64.b64decode(pixel.reply["body"]).startswith(b"GIF89a")
    writes = [op for service, op, _ in pixel.calls if service == "dynamodb" and "Write" in op]
    assert writes, pixel.calls  # the signup was recorded
    # Lambda imports the handler's module by itself: a click loads neither the app and
    # its other routes nor the payments layer's library.
    for run in (click, pixel):
        assert not {"app", "chalicelib.api.application", "stripe"} & set(run.loaded)
    assert "chalicelib.api.conversions" not in click.loaded  # the pixel's code, on first use
