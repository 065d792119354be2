"""The hot paths under DynamoDB throttling and failures (injected at the botocore layer)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.common import PHONE
from tests.faults import dynamodb_failing
from tests.helpers import body_of, click, convert, new_referrer
from tests.rollups import settle

ERRORS = ["ThrottlingException", "ProvisionedThroughputExceededException", "InternalServerError"]


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """Metrics on (EMF lines on stdout, as in Lambda); returns a reader of metric names."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")

    def read() -> list[str]:
        names = []
        for line in capsys.readouterr().out.splitlines():
            if line.startswith("{") and '"_aws"' in line:
                record = json.loads(line)
                names += [m["Name"] for m in record["_aws"]["CloudWatchMetrics"][0]["Metrics"]]
        return names

    return read


@pytest.mark.parametrize("code", ERRORS)
def test_redirect_still_lands_on_the_codes_program_when_dynamodb_fails(
    api: Any, dynamo_store: Any, emitted: Any, code: str
) -> None:
    acme = new_referrer(
        api, "kim@example.com", program="acme", signature=_signature("kim@example.com")
    )
    click(api, acme["code"])  # this container learns the code's program
    emitted()
    with dynamodb_failing(dynamo_store, code) as faults:
        for _ in range(5):
            response = click(api, acme["code"], ua=PHONE)
            assert response.status_code == 302
            location = urlsplit(response.headers["Location"])
            assert location.netloc == "acme.example"
            assert parse_qs(location.query)["ref"] == [acme["code"]]
    assert faults.failed  # the database really was failing
    assert emitted().count("ClicksNotCounted") == 5
    settle()  # the rollups count what reached the stream
    stats = body_of(api.http.get(f"/v1/stats/{acme['stats_token']}"))
    assert stats["clicks"] == 1  # nothing was counted while failing, nothing twice


def test_a_code_never_seen_by_this_container_goes_to_the_first_program(
    api: Any, dynamo_store: Any
) -> None:
    with dynamodb_failing(dynamo_store):
        response = click(api, "fresh23")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.netloc, location.path) == ("shop.example.com", "/welcome")
    assert parse_qs(location.query)["ref"] == ["fresh23"]


def test_pixel_answers_a_gif_and_loses_nothing_silently(
    api: Any, dynamo_store: Any, emitted: Any
) -> None:
    referrer = new_referrer(api)
    emitted()
    with dynamodb_failing(dynamo_store, "ServiceUnavailable"):
        response = api.http.get(f"/p.gif?program=shop&event=signup&order=u1&ref={referrer['code']}")
    assert response.status_code == 200 and response.body.startswith(b"GIF8")
    assert "PixelConversionsLost" in emitted()
    assert body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))["signups"] == 0


@pytest.mark.parametrize("code", ERRORS)
def test_conversion_api_answers_503_then_a_retry_records_once(
    api: Any, dynamo_store: Any, emitted: Any, code: str
) -> None:
    referrer = new_referrer(api)
    purchase = {"event": "purchase", "order_id": "A-7", "amount": 30, "ref": referrer["code"]}
    emitted()
    with dynamodb_failing(dynamo_store, code, operations={"TransactWriteItems"}):
        failed = convert(api, purchase)
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "1"
    assert "try again" in body_of(failed)["error"]
    assert "DatabaseFailures" in emitted()
    assert convert(api, purchase).status_code == 201
    assert convert(api, purchase).status_code == 200
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert (stats["purchases"], stats["revenue"]) == (1, {"EUR": 30})


def test_a_lost_response_after_the_write_committed_is_not_counted_twice(
    api: Any, dynamo_store: Any
) -> None:
    referrer = new_referrer(api)
    purchase = {"event": "purchase", "order_id": "A-8", "amount": 12, "ref": referrer["code"]}
    with dynamodb_failing(
        dynamo_store, "InternalServerError", operations={"TransactWriteItems"}, after_commit=True
    ) as faults:
        assert convert(api, purchase).status_code == 503
    assert faults.failed
    retry = convert(api, purchase)
    assert retry.status_code == 200  # the first attempt had in fact been recorded
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert (stats["purchases"], stats["revenue"], stats["successful_referrals"]) == (
        1,
        {"EUR": 12},
        1,
    )


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/stats/TOKEN"), ("POST", "/v1/programs/shop/referrers")]
)
def test_other_routes_answer_503_with_retry_after(
    api: Any, dynamo_store: Any, method: str, path: str
) -> None:
    referrer = new_referrer(api)
    with dynamodb_failing(dynamo_store):
        response = api.http.request(
            method,
            path.replace("TOKEN", referrer["stats_token"]),
            body=b'{"email": "new@example.com"}',
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "error" in body_of(response)


def _signature(email: str) -> str:
    from chalicelib.domain.referrals.identity import identity_signature
    from tests.common import IDENTITY_SECRET

    return identity_signature(IDENTITY_SECRET, email)


def test_redirect_still_works_when_the_secrets_cannot_be_read(
    dynamo_client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Deployed, the secrets come from SSM at cold start; if that fails the visitor is still
    sent to a landing page with `ref` (no click id can be signed without the secret)."""
    from chalice.test import Client

    from app import app
    from chalicelib.api import deps
    from tests.common import config_document

    programs = tmp_path / "programs.json"
    programs.write_text(json.dumps(config_document()))
    monkeypatch.setenv("REFERBEE_PROGRAMS_FILE", str(programs))
    monkeypatch.setenv("REFERBEE_SECRETS_PARAMETER", "/referbee/test/missing")
    monkeypatch.setenv("REFERBEE_TABLE", "referbee-test")
    deps.reset()
    try:
        with Client(app) as api:
            response = click(api, "abc2345")
            odd = click(api, "a%2Fb")
    finally:
        deps.reset()
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc == "shop.example.com"
    assert parse_qs(location.query)["ref"] == ["abc2345"]
    assert odd.status_code == 404
