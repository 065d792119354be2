"""The deploy lifecycle the tests in test_deploy_lifecycle.py inspect: `referbee deploy`,
re-deploy, config change, `destroy`, `destroy --delete-data`, with every AWS call recorded
and, after each phase, everything moto holds read back; after the redeploy, the uploaded
package is run as each of the three functions."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import botocore.client
from moto.awslambda.models import LambdaBackend

from chalicelib.domain.trust.admin_keys import hash_key
from chalicelib.model.records import AdminKey
from chalicelib.store.dynamo import DynamoStore
from referbee.deploy.names import Names
from referbee.devstack.streams import as_lambda_record
from referbee.hooks import stripe_events
from referbee.hooks.delivery import Delivery, signed_headers

from .inventory import inventory
from .lambda_run import (
    Invocation,
    body_of,
    invoke_package,
    proxy_event,
    scheduled_event,
    url_event,
)
from .moto_aws import ACCOUNT, REGION, client
from .support import CONFIG, IDENTITY_SECRET, STRIPE_SECRET, Referbee

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
    runs: dict[str, Invocation] = field(default_factory=dict)
    sent_emails: list[str] = field(default_factory=list)
    # The records each event source mapping would have delivered, by eventID, in order.
    stream_records: dict[str, dict[str, Any]] = field(default_factory=dict)
    # After each rollup run: the program's rollups, summed over its days.
    rollup_totals: list[dict[str, Any]] = field(default_factory=list)


def run_lifecycle(aws: str, workdir: Path) -> Lifecycle:
    """Every phase, in order; after each one, what moto holds and the state file."""
    referbee = Referbee(aws, workdir)
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
    with recording(run.calls), delivering(run.stream_records):
        for phase, args, answer in phases:
            if phase == "changed":
                (workdir / "referbee.yaml").write_text(CONFIG.replace("Bean There", "Bean Here"))
            result = referbee(*args, input=answer)
            run.outputs[phase] = result.output
            run.codes[phase] = result.exit_code
            state_file = workdir / ".referbee" / "deployed" / f"{STAGE}.json"
            if state_file.exists():
                run.state[phase] = json.loads(state_file.read_text())
            with paused(run.calls):
                run.after[phase] = inventory(aws)
                if phase == "deploy":
                    run.admin_key_record = stored_admin_key(aws, result.output)
                if phase == "redeploy":  # after its snapshot: the code writes to the table
                    run.runs, run.sent_emails = run_deployed_code(run, aws)
    return run


def run_deployed_code(run: Lifecycle, endpoint: str) -> tuple[dict[str, Invocation], list[str]]:
    """The API handler: program info, referrer sign-up (a wrong signature, then signed), a purchase
    that earns Jane a reward (and queues her email); the scheduled function, which sends
    it; the rollup function, given the table's stream as Lambda's event source mapping
    delivers it (twice: a redelivered batch); then the purchase's refund; then the click
    function (a click, the pixel) and a Stripe event to the API handler with its layer."""
    # A first deploy builds the package twice: the second time with the click URL, made
    # with its function, in the functions' environment. The newest is the one deployed.
    packages = (run.workdir / "build" / "chalice" / STAGE / ".chalice" / "deployments").glob(
        "*.zip"
    )
    package = max(packages, key=lambda path: path.stat().st_mtime)
    layer = payments_layer(run.workdir)
    lam = client("lambda", endpoint)
    api = lam.get_function(FunctionName=NAMES.function)["Configuration"]
    clicks = lam.get_function(FunctionName=NAMES.click_function)["Configuration"]
    scheduled = lam.get_function(FunctionName=NAMES.scheduled_function)["Configuration"]
    api_id = run.state["deploy"]["app"]["api_url"].split("//")[1].split(".")[0]

    def call_api(event: dict[str, Any]) -> Invocation:
        variables = api["Environment"]["Variables"]
        return invoke_package(
            package, run.workdir, variables, event, api["Handler"], layers=(layer,)
        )

    def call_clicks(event: dict[str, Any]) -> Invocation:
        variables = clicks["Environment"]["Variables"]
        return invoke_package(package, run.workdir, variables, event, clicks["Handler"])

    runs: dict[str, Invocation] = {}
    resource = "/v1/programs/{program}/referrers"
    path = "/v1/programs/beans/referrers"
    email = "jane@example.com"
    signature = hmac.new(IDENTITY_SECRET.encode(), email.encode(), hashlib.sha256).hexdigest()
    beans = {"program": "beans"}
    runs["program"] = call_api(
        proxy_event("GET", "/v1/programs/{program}", "/v1/programs/beans", beans)
    )
    forged = {"email": email, "signature": "0" * 64}
    runs["forged"] = call_api(proxy_event("POST", resource, path, beans, forged))
    jane = {"email": email, "name": "Jane", "signature": signature}
    runs["signed"] = call_api(proxy_event("POST", resource, path, beans, jane, api_id=api_id))
    code = body_of(runs["signed"].reply)["code"]
    admin = {"authorization": f"Bearer {printed_admin_key(run.outputs['deploy'])}"}
    purchase = {"event": "purchase", "order_id": "A-1", "amount": 40, "currency": "USD"}
    runs["conversion"] = call_api(
        proxy_event(
            "POST",
            "/v1/programs/{program}/conversions",
            "/v1/programs/beans/conversions",
            beans,
            {**purchase, "ref": code},
            headers=admin,
        )
    )
    # The marketer has verified the sender's domain in SES (moto refuses other senders).
    client("sesv2", endpoint).create_email_identity(EmailIdentity="beanthere.example")
    rule_arn = client("events", endpoint).describe_rule(Name=NAMES.schedule_rule)["Arn"]

    def run_schedule() -> Invocation:
        variables = scheduled["Environment"]["Variables"]
        event = scheduled_event(rule_arn)
        return invoke_package(
            package, run.workdir, variables, event, scheduled["Handler"], metrics=True
        )

    runs["due_work"] = run_schedule()
    runs["due_work_idle"] = run_schedule()  # a minute later: nothing left to do
    rollups = lam.get_function(FunctionName=NAMES.rollup_function)["Configuration"]
    (mapping,) = lam.list_event_source_mappings(FunctionName=rollups["FunctionArn"])[
        "EventSourceMappings"
    ]
    records = [
        record
        for record in run.stream_records.values()
        if record["function_arn"] == rollups["FunctionArn"]
        and record["eventSourceARN"] == mapping["EventSourceArn"]
    ]
    stream = {"Records": [{k: v for k, v in r.items() if k != "function_arn"} for r in records]}
    assert len(records) <= mapping["BatchSize"]
    store = DynamoStore(client("dynamodb", endpoint), NAMES.table)
    for run_name in ("rollups", "rollups_again"):
        runs[run_name] = invoke_package(
            package,
            run.workdir,
            rollups["Environment"]["Variables"],
            stream,
            rollups["Handler"],
            metrics=True,
        )
        rolled = store.rollups.read_rollups("beans", "2000-01-01")
        summed: dict[str, Any] = {}
        for values in rolled.days.values():
            for metric, value in values.items():
                summed[metric] = summed.get(metric, 0) + value
        run.rollup_totals.append(summed)
    runs["refund"] = call_api(
        proxy_event(
            "POST",
            "/v1/programs/{program}/conversions/{order_id}/refund",
            "/v1/programs/beans/conversions/A-1/refund",
            {**beans, "order_id": "A-1"},
            {},
            headers=admin,
        )
    )
    # Last (the checks above count what happened before): a friend follows Jane's link and
    # signs up (the pixel), both on the click function's URL; then a Stripe checkout names
    # her code, on the API function with its payments layer.
    runs["click"] = call_clicks(url_event(f"/r/{code}"))
    runs["pixel"] = call_clicks(
        url_event("/p.gif", f"program=beans&event=signup&order=u1&ref={code}")
    )
    session = stripe_events.checkout_session(stripe_events.Order(Decimal(25), reference=code))
    delivery = Delivery("stripe", stripe_events.event("checkout.session.completed", session))
    raw = json.dumps(delivery.body, separators=(",", ":"))
    runs["stripe"] = call_api(
        {
            **proxy_event(
                "POST",
                "/v1/programs/{program}/hooks/stripe",
                "/v1/programs/beans/hooks/stripe",
                beans,
                headers=signed_headers(delivery, raw.encode(), STRIPE_SECRET),
            ),
            "body": raw,
        }
    )
    return runs, sent_emails()


def payments_layer(workdir: Path) -> Path:
    """The payments layer's zip that deploy built (and published: tests compare the two)."""
    (layer,) = (workdir / "build" / "layers" / "payments" / ".chalice" / "deployments").glob(
        "*.zip"
    )
    return layer


def sent_emails() -> list[str]:
    """What SES accepted. moto's server runs in this process, so its SES backend is read
    directly: SES has no API that lists sent messages."""
    from moto.ses.models import ses_backends

    return [message.raw_data for message in ses_backends[ACCOUNT][REGION].sent_messages]


def printed_admin_key(output: str) -> str:
    printed = re.search(r"Admin key\s+(rk_\S+)", output)
    assert printed is not None, output
    return printed.group(1)


def stored_admin_key(endpoint: str, output: str) -> AdminKey | None:
    printed = re.search(r"Admin key\s+(rk_\S+)", output)
    if printed is None:
        return None
    store = DynamoStore(client("dynamodb", endpoint), NAMES.table)
    return store.admin_keys.get_admin_key(hash_key(printed.group(1)))


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


def iam_action(service: str, operation: str, method: str) -> str | None:
    if service == "sts" and operation == "GetCallerIdentity":
        return None  # needs no permission
    if service == "apigateway":
        return f"apigateway:{method}"
    action = f"{service}:{operation}"
    return _ACTION_NAMES.get(action, action)


def action_matches(pattern: str, action: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), action) is not None


def as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


class recording:
    """Records (service, operation, HTTP method) of every AWS call made while active."""

    active = False

    def __init__(self, calls: set[tuple[str, str, str]]) -> None:
        self.calls = calls
        self.original = botocore.client.BaseClient._make_api_call

    def __enter__(self) -> None:
        calls, original = self.calls, self.original

        def recorded(client: Any, operation: str, params: Any) -> Any:
            if recording.active:
                model = client.meta.service_model
                method = model.operation_model(operation).http.get("method", "")
                calls.add((model.signing_name or model.endpoint_prefix, operation, method))
            return original(client, operation, params)

        recording.active = True
        botocore.client.BaseClient._make_api_call = recorded  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        recording.active = False
        botocore.client.BaseClient._make_api_call = self.original  # type: ignore[method-assign]


class delivering:
    """moto runs an event source mapping by invoking the function with the stream's records
    after every table write, which it cannot do (no Docker). While active, the records it
    would deliver are kept instead (with the function they were for), to be given to the
    uploaded package as Lambda would deliver them. moto's server runs in this process."""

    def __init__(self, records: dict[str, dict[str, Any]]) -> None:
        self.records = records
        self.original = LambdaBackend.send_dynamodb_items

    def __enter__(self) -> None:
        kept = self.records

        def deliver(backend: Any, function_arn: str, items: list[Any], source: str) -> str:
            for item in items:
                record = {
                    **as_lambda_record(item.to_json(), source),
                    "awsRegion": backend.region_name,
                }
                kept.setdefault(record["eventID"], {**record, "function_arn": function_arn})
            # Nothing returned: moto keeps the records on its stream (as DynamoDB does, for
            # 24 hours) and numbers the next one after them.
            return ""

        LambdaBackend.send_dynamodb_items = deliver  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        LambdaBackend.send_dynamodb_items = self.original  # type: ignore[method-assign]


class paused:
    def __init__(self, calls: set[tuple[str, str, str]]) -> None:
        self.calls = calls

    def __enter__(self) -> None:
        recording.active = False

    def __exit__(self, *exc: object) -> None:
        recording.active = True
