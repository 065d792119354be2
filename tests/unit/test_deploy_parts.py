"""The pure parts of `referbee deploy`: names, the functions' IAM policies, upload rules, and
the CloudFront config comparison."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from referbee.deploy import cdn
from referbee.deploy.errors import DeployError
from referbee.deploy.keys import public_programs
from referbee.deploy.names import (
    API_HANDLER,
    CLICKS,
    ROLLUPS,
    SCHEDULED,
    Names,
    check_bucket_name,
    check_stage,
)
from referbee.deploy.policy import (
    cloudformation_names,
    email_senders,
    function_policies,
    lambda_policy,
    scheduled_policy,
)
from referbee.deploy.upload import (
    LONG_CACHE,
    NO_CACHE,
    SHORT_CACHE,
    cache_control_of,
    content_type_of,
    site_files,
)

NAMES = Names("prod", "eu-central-1", "111122223333")
FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
REWARD = {"text": "$10 credit", "kind": "credit", "amount": 10}
DOCUMENT = {
    "programs": [
        {
            "id": "shop",
            "name": "Shop",
            "landing_url": "https://shop.example/",
            "rewards": {"referrer": REWARD, "friend": REWARD},
            "emails": {"from": "Shop <rewards@shop.example>"},
        }
    ]
}


@pytest.mark.parametrize("stage", ["prod", "p", "staging-2", "a" * 16])
def test_valid_stages(stage: str) -> None:
    assert check_stage(stage) == stage


@pytest.mark.parametrize("stage", ["", "Prod", "-x", "x-", "a" * 17, "pr od", "prod!", "1abc"])
def test_invalid_stages(stage: str) -> None:
    with pytest.raises(DeployError, match="is not valid"):
        check_stage(stage)


@pytest.mark.parametrize("name", ["ab", "Upper", "a..b", "-abc", "x" * 64, "under_score"])
def test_invalid_bucket_names(name: str) -> None:
    with pytest.raises(DeployError, match="not a valid S3 bucket name"):
        check_bucket_name(name)


def test_names_derive_from_stage_account_and_region() -> None:
    assert NAMES.table == "referbee-prod"
    assert NAMES.function == "referbee-prod"
    assert NAMES.secrets_parameter == "/referbee/prod/secrets"
    assert NAMES.bucket == "referbee-prod-site-111122223333-eu-central-1"
    assert len(Names("a" * 16, "ap-southeast-4", "111122223333").bucket) <= 63
    assert NAMES.website_host.endswith(".s3-website.eu-central-1.amazonaws.com")
    assert Names("prod", "eu-west-1", "1").website_host.endswith(
        ".s3-website-eu-west-1.amazonaws.com"
    )
    assert Names("prod", "eu-west-1", "1", "mine").bucket == "mine"
    assert NAMES.functions == {
        "api_handler": "referbee-prod",
        "due_work": "referbee-prod-due_work",
        "rollups": "referbee-prod-rollups",
        "clicks": "referbee-prod-clicks",
    }
    assert NAMES.roles == {
        "api_handler": "referbee-prod-api_handler",
        "due_work": "referbee-prod-due_work",
        "rollups": "referbee-prod-rollups",
        "clicks": "referbee-prod-clicks",
    }
    assert NAMES.schedule_rule == "referbee-prod-due_work-event"
    assert NAMES.api_url("abc") == "https://abc.execute-api.eu-central-1.amazonaws.com/api"
    china = Names("prod", "cn-north-1", "1").api_url("abc")
    assert china == "https://abc.execute-api.cn-north-1.amazonaws.com.cn/api"


def test_the_app_has_exactly_the_functions_deploy_knows() -> None:
    # A new event source needs its own role, policy and log group in deploy: fail until it
    # has. Loaded as Lambda loads it (a fresh process, the stage's stream in the environment).
    show = (
        "import importlib, json; from app import app; "
        "print(json.dumps([[s.name, s.handler_string, type(getattr(importlib.import_module("
        "s.handler_string.rpartition('.')[0]), s.handler_string.rpartition('.')[2])).__name__]"
        " for s in [*app.event_sources, *app.pure_lambda_functions]]))"
    )
    arn = "arn:aws:dynamodb:eu-central-1:111122223333:table/referbee-prod/stream/2026-11-01"
    env = {**os.environ, "REFERBEE_STREAM_ARN": arn}
    run = subprocess.run(
        [sys.executable, "-c", show], cwd=FUNCTIONS, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    sources = {name: (handler, kind) for name, handler, kind in json.loads(run.stdout)}
    assert sorted(sources) == sorted([SCHEDULED, ROLLUPS, CLICKS])
    assert sorted([API_HANDLER, *sources]) == sorted(NAMES.functions)
    assert sorted(NAMES.functions) == sorted(function_policies(NAMES, DOCUMENT))
    # What Lambda calls by the handler's name takes (event, context): Chalice's wrapper.
    assert {kind for _, kind in sources.values()} == {"EventSourceHandler"}
    assert sources[ROLLUPS][0] == "chalicelib.api.rollups.rollup_stream"
    assert sources[CLICKS][0] == "chalicelib.api.function_url.serve_links"


def test_policy_grants_the_store_calls_on_the_table_and_its_indexes_only() -> None:
    policy = lambda_policy(NAMES)
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    table = "arn:aws:dynamodb:eu-central-1:111122223333:table/referbee-prod"
    assert by_sid["Table"]["Resource"] == [table]
    assert by_sid["Indexes"]["Resource"] == [f"{table}/index/GSI1", f"{table}/index/GSI2"]
    assert by_sid["Secrets"]["Resource"] == [
        "arn:aws:ssm:eu-central-1:111122223333:parameter/referbee/prod/secrets"
    ]
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        assert all(r != "*" and "111122223333" in r for r in statement["Resource"])
        assert not any(action.endswith("*") for action in statement["Action"])


def test_policies_cover_every_table_call_the_store_makes() -> None:
    store = Path(__file__).parents[2] / "functions/chalicelib/store"
    # table.py creates the table for `referbee dev` and deploy; the Lambda functions never do.
    source = "\n".join(p.read_text() for p in sorted(store.rglob("*.py")) if p.name != "table.py")
    operations = botocore.session.get_session().get_service_model("dynamodb").operation_names
    called = {op for op in operations if re.search(rf"\.{xform_name(op)}\(", source)}
    assert {"Query", "BatchGetItem", "TransactWriteItems", "UpdateItem"} <= called
    per_item = {
        "TransactWriteItems": {"PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"},
    }
    for policy in (lambda_policy(NAMES), scheduled_policy(NAMES, ("a@b.example",))):
        granted = {a for s in policy["Statement"] for a in s["Action"]}
        for operation in sorted(called):
            needed = per_item.get(operation, {operation})
            assert {f"dynamodb:{a}" for a in needed} <= granted, f"{operation}: add to policy.py"


def test_scheduled_policy_sends_only_as_the_configured_senders() -> None:
    document = {
        "programs": [
            _program("a", {"from": "Shop <Rewards@Shop.Example>"}),
            _program("b", {"from": "news@other.example"}),
            _program("c", None),
        ]
    }
    senders = email_senders(document)
    assert senders == ("Rewards@shop.example", "news@other.example")
    by_sid = {s["Sid"]: s for s in scheduled_policy(NAMES, senders)["Statement"]}
    identity = "arn:aws:ses:eu-central-1:111122223333:identity"
    assert by_sid["SendEmail"]["Action"] == ["ses:SendEmail", "ses:SendRawEmail"]
    assert by_sid["SendEmail"]["Resource"] == [
        f"{identity}/Rewards@shop.example",
        f"{identity}/news@other.example",
        f"{identity}/other.example",
        f"{identity}/shop.example",
    ]
    assert by_sid["Logs"]["Resource"] == [
        "arn:aws:logs:eu-central-1:111122223333:log-group:/aws/lambda/referbee-prod-due_work"
        ":log-stream:*"
    ]
    without_emails = scheduled_policy(NAMES, email_senders({"programs": [_program("c", None)]}))
    assert "SendEmail" not in {s["Sid"] for s in without_emails["Statement"]}
    assert not any(
        action.startswith("ses:")
        for s in lambda_policy(NAMES)["Statement"]
        for action in s["Action"]
    )


def test_cloudformation_policy_uses_the_stack_account() -> None:
    policy = lambda_policy(cloudformation_names("prod"))
    resource = policy["Statement"][0]["Resource"][0]
    arn = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/referbee-prod"
    assert resource == {"Fn::Sub": arn}


@pytest.mark.parametrize(
    ("key", "content_type", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", NO_CACHE),
        ("stats/index.html", "text/html; charset=utf-8", NO_CACHE),
        ("assets/javascripts/bundle.f55a23d4.min.js", "text/javascript; charset=utf-8", LONG_CACHE),
        ("assets/stylesheets/main.8608ea7d.min.css", "text/css; charset=utf-8", LONG_CACHE),
        ("widget/referbee.js", "text/javascript; charset=utf-8", SHORT_CACHE),
        ("referbee.json", "application/json", SHORT_CACHE),
        ("assets/images/favicon.png", "image/png", SHORT_CACHE),
        ("logo.svg", "image/svg+xml", SHORT_CACHE),
        ("sitemap.xml.gz", "application/gzip", SHORT_CACHE),
        ("fonts/x.woff2", "font/woff2", SHORT_CACHE),
    ],
)
def test_content_type_and_cache_policy(key: str, content_type: str, cache: str) -> None:
    assert content_type_of(key) == content_type
    assert cache_control_of(key) == cache


def test_site_files_add_directory_keys_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "stats").mkdir()
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "stats" / "index.html").write_text("stats")
    assert set(site_files(tmp_path)) == {"index.html", "stats/index.html"}
    with_dirs = site_files(tmp_path, directory_keys=True)
    assert set(with_dirs) == {"index.html", "stats/index.html", "stats/"}
    assert with_dirs["stats/"].md5 == with_dirs["stats/index.html"].md5
    assert with_dirs["stats/"].content_type.startswith("text/html")
    assert with_dirs["stats/"].cache_control == NO_CACHE


def test_programs_for_the_package_carry_no_secret() -> None:
    document = {"programs": [{"id": "a", "identity_secret": "s" * 20, "name": "A"}]}
    assert public_programs(document) == {"programs": [{"id": "a", "name": "A"}]}
    assert document["programs"][0]["identity_secret"] == "s" * 20
    paid = {
        "id": "b",
        "payments": {
            "stripe": {"webhook_secret": "whsec_" + "w" * 20, "api_key": "rk_" + "k" * 20},
            "organic": "ignore",
        },
    }
    assert public_programs({"programs": [paid]}) == {
        "programs": [{"id": "b", "payments": {"stripe": {}, "organic": "ignore"}}]
    }
    assert paid["payments"]["stripe"]["api_key"] == "rk_" + "k" * 20


def test_cloudfront_echo_with_defaults_is_not_a_difference() -> None:
    wanted = cdn.distribution_config(NAMES, "OAC123")
    echoed: Any = json.loads(json.dumps(wanted))
    echoed["CallerReference"] = "something-else"
    echoed["Aliases"] = {"Quantity": 0}
    echoed["DefaultCacheBehavior"]["SmoothStreaming"] = False
    echoed["Origins"]["Items"][0]["ConnectionAttempts"] = 3
    assert not cdn._differs(echoed, wanted)
    echoed["Origins"]["Items"][0]["OriginAccessControlId"] = "OTHER"
    assert cdn._differs(echoed, wanted)


def _program(program_id: str, emails: dict[str, str] | None) -> dict[str, Any]:
    program: dict[str, Any] = {
        "id": program_id,
        "name": program_id.upper(),
        "landing_url": "https://shop.example/",
        "rewards": {
            "referrer": {"text": "$5", "kind": "credit", "amount": 5},
            "friend": {"text": "$5", "kind": "credit", "amount": 5},
        },
    }
    if emails is not None:
        program["emails"] = emails
    else:  # a program without emails needs a server that vouches for its customers
        program["identity_secret"] = f"{program_id}-identity-secret-0123"
    return program
