"""CORS per program and security headers on every HTML page of the API."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.store.dynamo import DynamoStore
from tests.helpers import body_of
from tests.trust import beacon, issue, stats_of, trust_api, trust_document

SHOP = "https://shop.example.com"
LISTED = "https://checkout.partner.example"
SITE = "https://refer.example.net"
STRANGER = "https://evil.example"


@pytest.fixture
def api(dynamo_store: DynamoStore, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("REFERBEE_SITE_URL", SITE)
    with trust_api(dynamo_store, trust_document(origins=[LISTED])) as (client, _):
        yield client


def acao(response: Any) -> str | None:
    return response.headers.get("Access-Control-Allow-Origin")


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (SHOP, True),  # an allowed host, over https
        (LISTED, True),  # listed under origins
        (SITE, True),  # the program site
        ("http://shop.example.com", False),  # not over https
        ("https://shop.example.com:8443", False),
        ("https://acme.example", False),  # another program's host
        (STRANGER, False),
        ("null", False),
    ],
)
def test_public_reads_answer_only_the_programs_origins(
    api: Any, origin: str, allowed: bool
) -> None:
    referrer = issue(api)
    paths = [
        "/v1/programs/shop",
        f"/v1/programs/shop/codes/{referrer['code']}",
        f"/v1/stats/{referrer['stats_token']}",
        f"/v1/programs/shop/codes/{referrer['code']}/qr.svg",
    ]
    for path in paths:
        response = api.http.get(path, headers={"origin": origin})
        assert response.status_code == 200
        assert acao(response) == (origin if allowed else None), path
        assert "Origin" in response.headers["Vary"]


def test_error_answers_are_readable_by_the_programs_pages(api: Any) -> None:
    """The widget and the site say what went wrong (unknown program, bad link)."""
    for path in ("/v1/programs/nope", "/v1/stats/abc2345.1.00", "/v1/programs/shop/codes/zz"):
        answer = api.http.get(path, headers={"origin": SHOP})
        assert answer.status_code in (400, 404)
        assert acao(answer) == SHOP
        assert acao(api.http.get(path, headers={"origin": STRANGER})) is None


@pytest.mark.parametrize("origin", [SHOP, LISTED, SITE])
def test_preflights_of_allowed_origins(api: Any, origin: str) -> None:
    for path, method in (
        ("/v1/programs/shop/referrers", "POST"),
        ("/v1/programs/shop/beacon", "POST"),
        ("/v1/programs/shop", "GET"),
    ):
        response = api.http.request(
            "OPTIONS",
            path,
            headers={
                "origin": origin,
                "access-control-request-method": method,
                "access-control-request-headers": "content-type",
            },
        )
        assert response.status_code == 204
        assert acao(response) == origin
        assert method in response.headers["Access-Control-Allow-Methods"]
        assert response.headers["Access-Control-Allow-Headers"] == "Content-Type"


def test_preflight_of_a_stranger_gets_no_permission(api: Any) -> None:
    response = api.http.request(
        "OPTIONS",
        "/v1/programs/shop/referrers",
        headers={"origin": STRANGER, "access-control-request-method": "POST"},
    )
    assert acao(response) is None
    assert "Access-Control-Allow-Methods" not in response.headers


def test_writes_from_a_stranger_origin_are_refused_and_record_nothing(api: Any) -> None:
    referrer = issue(api)
    body = {"event": "signup", "order_id": "c1", "ref": referrer["code"]}
    refused = beacon(api, body, origin=STRANGER)
    assert refused.status_code == 403
    assert "origins" in body_of(refused)["error"]
    issued = api.http.post(
        "/v1/programs/acme/referrers",
        body=b'{"email": "x@example.com"}',
        headers={"content-type": "text/plain", "origin": STRANGER},
    )
    assert issued.status_code == 403
    assert stats_of(api, referrer)["signups"] == 0
    allowed = beacon(api, body, origin=LISTED)
    assert allowed.status_code == 201 and acao(allowed) == LISTED
    assert beacon(api, {**body, "order_id": "c2"}).status_code == 201  # no Origin: a server


EXPECTED_HTML_HEADERS = {
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "Permissions-Policy",
}


def test_every_html_page_of_the_api_carries_the_security_headers(api: Any) -> None:
    referrer = issue(api)
    pages = [
        api.http.get("/r/zzzzzzz"),
        api.http.get("/v1/unsubscribe/bad.token"),
        api.http.get(f"/v1/unsubscribe/{referrer['code']}.0000"),
        api.http.post(
            "/v1/unsubscribe/bad.token", body=b"", headers={"content-type": "text/plain"}
        ),
    ]
    for page in pages:
        assert page.headers["Content-Type"].startswith("text/html")
        assert set(page.headers) >= EXPECTED_HTML_HEADERS, page.headers
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_the_local_static_server_sends_security_headers(tmp_path: Any) -> None:
    import urllib.request

    from referbee.devstack.static import StaticServer

    (tmp_path / "index.html").write_text("<!doctype html><title>site</title>")
    server = StaticServer({"/": tmp_path}, "127.0.0.1", 0)
    server.start()
    try:
        with urllib.request.urlopen(f"{server.url}/index.html", timeout=10) as page:
            headers = page.headers
    finally:
        server.stop()
    assert headers["Content-Type"].startswith("text/html")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
