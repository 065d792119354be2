"""`referbee deploy` and the click path's address: the click function's Function URL, public
by default; with `link_domain`, signed and behind a CloudFront distribution on that domain,
made once its certificate is issued; `destroy` removes the distribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from referbee.deploy.names import Names

from .inventory import inventory
from .moto_aws import ACCOUNT, REGION, client
from .support import CONFIG, Referbee, make_workdir

pytestmark = pytest.mark.deploy

NAMES = Names("links", REGION, ACCOUNT)
DOMAIN = "go.beans.example"


def url_config(endpoint: str) -> dict[str, str]:
    found: dict[str, str] = client("lambda", endpoint).get_function_url_config(
        FunctionName=NAMES.click_function
    )
    return found


def permissions(endpoint: str) -> dict[str, dict[str, object]]:
    policy = client("lambda", endpoint).get_policy(FunctionName=NAMES.click_function)
    return {s["Sid"]: s for s in json.loads(policy["Policy"])["Statement"]}


def link_url_of(endpoint: str, function: str) -> str:
    config = client("lambda", endpoint).get_function_configuration(FunctionName=function)
    return str(config["Environment"]["Variables"]["REFERBEE_LINK_URL"])


def test_without_a_link_domain_links_point_at_the_public_url(
    fresh_aws: str, tmp_path: Path
) -> None:
    referbee = Referbee(fresh_aws, make_workdir(tmp_path))
    result = referbee("deploy", "--stage", "links", "--region", REGION)
    assert result.exit_code == 0, result.output
    found = url_config(fresh_aws)
    assert found["AuthType"] == "NONE"
    url = found["FunctionUrl"].rstrip("/")
    assert "Referral links" in result.output and url in result.output
    assert link_url_of(fresh_aws, NAMES.function) == url
    granted = permissions(fresh_aws)
    assert set(granted) >= {"referbee-public-url", "referbee-public"}
    again = referbee("deploy", "--stage", "links", "--region", REGION)
    assert again.exit_code == 0 and "nothing changed" in again.output, again.output
    assert permissions(fresh_aws).keys() == granted.keys()  # not granted twice


def test_a_link_domain_gets_its_certificate_then_its_distribution(
    fresh_aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto import settings

    referbee = Referbee(fresh_aws, make_workdir(tmp_path, f"link_domain: {DOMAIN}\n" + CONFIG))
    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", 3600)
    first = referbee("deploy", "--stage", "links", "--region", REGION)
    assert first.exit_code == 0, first.output
    assert "waits for its certificate: add the DNS record" in first.output
    assert url_config(fresh_aws)["AuthType"] == "AWS_IAM"  # only CloudFront will call it
    assert link_url_of(fresh_aws, NAMES.function) == f"https://{DOMAIN}"
    assert link_url_of(fresh_aws, NAMES.scheduled_function) == f"https://{DOMAIN}"
    assert inventory(fresh_aws)["distributions"] == {}
    acm = client("acm", fresh_aws, region="us-east-1")
    (certificate,) = acm.list_certificates()["CertificateSummaryList"]
    assert certificate["DomainName"] == DOMAIN

    monkeypatch.setattr(settings, "ACM_VALIDATION_WAIT", 0)  # the DNS record was added
    second = referbee("deploy", "--stage", "links", "--region", REGION)
    assert second.exit_code == 0, second.output
    (distribution,) = inventory(fresh_aws)["distributions"].values()
    assert distribution["Aliases"]["Items"] == [DOMAIN]
    origin = distribution["Origins"]["Items"][0]["DomainName"]
    assert url_config(fresh_aws)["FunctionUrl"].rstrip("/") == f"https://{origin}"
    assert f"CNAME to {distribution['DomainName']}" in second.output
    granted = permissions(fresh_aws)
    assert "referbee-public-url" not in granted
    assert granted["referbee-cloudfront-url"]["Principal"] == {
        "Service": "cloudfront.amazonaws.com"
    }

    gone = referbee("destroy", "--stage", "links", "--delete-data", input="links\n")
    assert gone.exit_code == 0, gone.output
    assert inventory(fresh_aws)["distributions"] == {}
