"""On moto: the table brought up to date without losing data, the stage's secrets written
once and kept, and the Lambda reading them from SSM."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib.api import deps
from chalicelib.model.errors import UnavailableError
from chalicelib.store.table import table_definition
from referbee.deploy.keys import ensure_secrets, public_programs
from referbee.deploy.names import Names
from referbee.deploy.table import ensure_table
from tests.common import IDENTITY_SECRET, config_document

NAMES = Names("prod", "us-east-1", "123456789012")
STRIPE_SECRET = "whsec_deployed_0123456789abcdef"
SHOPIFY_SECRET = "shopify-deployed-0123456789"
STRIPE_KEY = "rk_live_promotion_codes_read_0123456789"


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def test_new_table_gets_every_setting(aws: None) -> None:
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    created = ensure_table(ddb, "referbee-prod")
    assert created.changed
    table = ddb.describe_table(TableName="referbee-prod")["Table"]
    assert table["DeletionProtectionEnabled"] is True
    assert ensure_table(ddb, "referbee-prod").changed is False


def test_old_table_is_brought_up_to_date_and_keeps_its_data(aws: None) -> None:
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    old = table_definition("referbee-prod")
    old["GlobalSecondaryIndexes"] = old["GlobalSecondaryIndexes"][:1]  # before GSI2 existed
    del old["StreamSpecification"]  # before program analytics
    old["AttributeDefinitions"] = [
        a
        for a in old["AttributeDefinitions"]
        if a["AttributeName"] in ("PK", "SK", "GSI1PK", "GSI1SK")
    ]
    ddb.create_table(**old)
    item = {"PK": {"S": "REF#abc"}, "SK": {"S": "META"}, "name": {"S": "Jane"}}
    ddb.put_item(TableName="referbee-prod", Item=item)

    outcome = ensure_table(ddb, "referbee-prod")

    assert outcome.changed
    assert "index GSI2 added" in outcome.detail
    assert "deletion protection on" in outcome.detail
    assert "point-in-time recovery on" in outcome.detail
    assert "stream of old and new images on" in outcome.detail
    table = ddb.describe_table(TableName="referbee-prod")["Table"]
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2"}
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert (
        ddb.get_item(TableName="referbee-prod", Key={k: item[k] for k in ("PK", "SK")})["Item"]
        == item
    )
    ttl = ddb.describe_time_to_live(TableName="referbee-prod")["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED"
    assert ensure_table(ddb, "referbee-prod").detail == "referbee-prod: up to date"


def test_secrets_are_created_once_and_the_server_secret_is_kept(aws: None) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    document = config_document()
    first, version = ensure_secrets(ssm, NAMES, document)
    assert first.changed and version == 1
    stored = _stored(ssm)
    assert stored["identity_secrets"] == {"acme": IDENTITY_SECRET}
    again, version = ensure_secrets(ssm, NAMES, document)
    assert not again.changed and version == 1
    document["programs"][1]["identity_secret"] = "a-new-identity-secret-456"
    changed, version = ensure_secrets(ssm, NAMES, document)
    assert changed.changed and version == 2
    assert _stored(ssm)["secret"] == stored["secret"]
    assert _stored(ssm)["identity_secrets"]["acme"] == "a-new-identity-secret-456"
    assert "payment_secrets" not in _stored(ssm)  # no program is connected to a provider
    document["programs"][0]["payments"] = {"shopify": {"webhook_secret": SHOPIFY_SECRET}}
    connected, version = ensure_secrets(ssm, NAMES, document)
    assert connected.changed and version == 3
    assert _stored(ssm)["payment_secrets"] == {
        "shop": {"shopify": {"webhook_secret": SHOPIFY_SECRET}}
    }


def test_lambda_reads_its_secrets_from_ssm(
    aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    document = config_document()
    document["programs"][0]["payments"] = {
        "stripe": {"webhook_secret": STRIPE_SECRET, "api_key": STRIPE_KEY}
    }
    _, version = ensure_secrets(ssm, NAMES, document)
    programs = tmp_path / "programs.json"
    programs.write_text(json.dumps(public_programs(document)))
    assert STRIPE_SECRET not in programs.read_text() and STRIPE_KEY not in programs.read_text()
    monkeypatch.setenv("REFERBEE_SECRETS_PARAMETER", f"{NAMES.secrets_parameter}:{version}")
    monkeypatch.setenv("REFERBEE_PROGRAMS_FILE", str(programs))
    monkeypatch.delenv("REFERBEE_SECRET", raising=False)
    deps.reset()
    try:
        ctx = deps.context()
        assert ctx.catalogue.get("acme").identity_secret == IDENTITY_SECRET
        assert ctx.catalogue.get("shop").identity_secret is None
        assert ctx.catalogue.get("shop").payments.stripe_secret == STRIPE_SECRET
        assert ctx.catalogue.get("shop").payments.stripe_api_key == STRIPE_KEY
        token = ctx.signer.stats_token("abc", 1)
        assert ctx.signer.read_stats_token(token) is not None
    finally:
        deps.reset()


def test_missing_secrets_parameter_is_a_503_not_a_crash(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFERBEE_SECRETS_PARAMETER", "/referbee/none/secrets:1")
    deps.reset()
    try:
        with pytest.raises(UnavailableError, match="could not read its secrets"):
            deps.context()
    finally:
        deps.reset()


def _stored(ssm: Any) -> dict[str, Any]:
    value = ssm.get_parameter(Name=NAMES.secrets_parameter, WithDecryption=True)["Parameter"]
    return dict(json.loads(value["Value"]))
