"""Property-based fuzzing of every route, through the real Chalice handler and DynamoStore on
moto: whatever arrives, no 5xx, and every 4xx is a JSON error a client can read (except
/r/{code}'s 404, which is an HTML page for people by design). The pixel always answers a
GIF and the redirect only ever points at a configured landing host.

At least 5,000 generated requests run per test session (checked by the last test)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.config.fraud import RATE_ROUTES
from tests.common import ADMIN_KEY, OTHER_PROGRAM_KEY, READ_KEY, config_document

DEFAULT_EXAMPLES = 700  # per property; 8 properties with many examples: over 5,000 requests
EXAMPLES = int(os.environ.get("REFERBEE_FUZZ_EXAMPLES", str(DEFAULT_EXAMPLES)))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALLOWED_HOSTS = {
    host
    for p in config_document()["programs"]
    for host in p.get("allowed_hosts", [urlsplit(p["landing_url"]).hostname])
}
REQUESTS = {"count": 0}


@pytest.fixture(scope="module")
def fuzz() -> Iterator[dict[str, Any]]:
    """One moto table and app for the whole module (hypothesis runs many examples per test)."""
    import threading

    import boto3
    from chalice.test import Client
    from moto import mock_aws
    from moto.core.responses import BaseResponse

    from app import app
    from chalicelib.api import deps
    from chalicelib.domain.config.programs import parse_programs
    from chalicelib.domain.context import Context
    from chalicelib.domain.trust.signing import Signer
    from chalicelib.model.clock import SystemClock
    from chalicelib.store.dynamo import DynamoStore
    from chalicelib.store.table import create_table
    from referbee.devstack.transactions import roll_back_transactions_by_key
    from tests.common import SECRET, install_keys

    lock, call_action = threading.Lock(), BaseResponse.call_action

    def atomic(self: Any) -> Any:
        with lock:
            return call_action(self)

    BaseResponse.call_action = atomic  # type: ignore[method-assign]
    # The table grows with every example (referrers, their emails and tallies); moto copies it
    # once per item of each transaction to roll back with, `referbee dev` only the items named.
    roll_back_transactions_by_key()
    os.environ.update(
        REFERBEE_API_URL="https://api.example.net", REFERBEE_SITE_URL="https://refer.example.net"
    )
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="us-east-1")
            create_table(client, "fuzz")
            store = DynamoStore(client, "fuzz")
            document = config_document()
            document["programs"][0]["site"] = {"leaderboard": True}
            # Thousands of requests from one test client in a few minutes: lift the rate limits
            # so the examples reach the code behind them (tests/functional covers the limits).
            for program in document["programs"]:
                program["rate_limits"] = dict.fromkeys(RATE_ROUTES, 100000)
            ctx = Context(store, parse_programs(document), Signer(SECRET), SystemClock())
            deps.reset()
            deps.use_context(ctx)
            install_keys(store)
            with Client(app) as api:
                made = json.loads(
                    api.http.post(
                        "/v1/programs/shop/referrers",
                        body=b'{"email": "fuzz@example.com"}',
                        # As the shop's server asks: answered with the stats token.
                        headers={
                            "content-type": "application/json",
                            "authorization": f"Bearer {ADMIN_KEY}",
                        },
                    ).body
                )
                yield {"api": api, "code": made["code"], "token": made["stats_token"]}
    finally:
        BaseResponse.call_action = call_action  # type: ignore[method-assign]
        deps.reset()
        for name in ("REFERBEE_API_URL", "REFERBEE_SITE_URL"):
            os.environ.pop(name, None)


# ---- strategies -----------------------------------------------------------------------

# Strings that have broken real systems: surrogates (JSON can carry them as \ud800 escapes),
# direction overrides, zero-width and control characters, NUL, huge and tricky values.
NAUGHTY = st.sampled_from(
    [
        "",
        " ",
        "..",
        "../../etc/passwd",
        "%2e%2e%2f",
        "//evil.com",
        "https://evil.com",
        "@evil.com",
        "\r\nSet-Cookie: x=1",
        "\u202e\u0000",
        "\ud800",
        "a\udfffb",
        "\udbff\udfff",
        "x" * 5000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "${jndi:ldap://x}",
        "🎉" * 30,
        "\uff21\uff22\uff23",
        "NaN",
        "-0",
        "1e400",
        "\u00b2",
        "\u0661\u0662",
        "\uff11",
        "\u200b\u200d\ufeff",
        "e\u0301\u0301\u0301",
        "\x00",
        "\x1b[31m",
        "Ω≈ç√∫",
        "null",
    ]
)
# Any code point, lone surrogates included.
texts = st.text(st.characters(exclude_categories=()), max_size=80) | NAUGHTY
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)


def q(text: str) -> str:
    """Percent-encode any text, lone surrogates included: what arrives over HTTP is bytes,
    so a hostile client can send those byte sequences even where text cannot hold them."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def as_header(text: str) -> str:
    """Header values arrive as bytes; servers hand them over decoded as latin-1."""
    return (
        text.encode("utf-8", "surrogatepass").decode("latin-1").replace("\r", "").replace("\n", "")
    )


# Mostly the real program, so bodies reach the code behind the program lookup.
programs = st.sampled_from(["shop"] * 6 + ["acme", "nope", ""]) | texts
segments = texts.map(q).filter(lambda s: 0 < len(s) < 2000)
agents = (st.sampled_from(["", "Mozilla/5.0 (X11; Linux) Chrome/131", "Slackbot 1.0"]) | texts).map(
    as_header
)
content_types = st.sampled_from(
    ["application/json"] * 4
    + [
        "text/plain",
        "application/json; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "",
    ]
)
auths = st.sampled_from(
    [
        None,
        f"Bearer {ADMIN_KEY}",
        f"Bearer {READ_KEY}",
        f"Bearer {OTHER_PROGRAM_KEY}",
        "Bearer ",
        "Basic abc",
        "Bearer rk_x",
        "bearer " + ADMIN_KEY,
    ]
)


# Plausible values per field, mixed with anything: bodies that get past the first checks and
# reach the deeper code (storage, serialization) rather than stopping at the first field.
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "email": st.emails() | st.just("fuzz@example.com"),
    "name": texts,
    "event": st.sampled_from(["signup", "purchase"]),
    "order_id": texts | st.integers(),
    "amount": st.decimals(allow_nan=True).map(str) | st.floats() | st.integers(),
    "currency": st.sampled_from(["USD", "EUR", "JPY", "BHD", "eur"]) | texts,
    "ref": st.just("CODE") | texts,
    "token": st.text("0123456789abcdef", min_size=47, max_size=49) | texts,
}


def bodies(fields: list[str]) -> st.SearchStrategy[bytes]:
    optional = {name: (PLAUSIBLE.get(name, json_values) | json_values) for name in fields}
    near_valid = st.fixed_dictionaries({}, optional=optional).map(
        lambda d: json.dumps(d, default=str).encode()
    )
    return (
        near_valid
        | json_values.map(lambda v: json.dumps(v).encode())
        | st.binary(max_size=300)
        | st.just(b"{" * 20000)
        | st.integers(1, 16000).map(lambda depth: b"[" * depth + b"]" * depth)
        | st.just(json.dumps({"email": "a@b.co", "pad": "x" * 20000}).encode())
    )


def headers(content_type: str, auth: str | None, agent: str) -> dict[str, str]:
    found = {"content-type": content_type, "user-agent": agent}
    if auth is not None:
        found["authorization"] = auth
    return {k: v for k, v in found.items() if v}


def encode_query(query: dict[str, str]) -> str:
    return "&".join(f"{q(key)}={q(value)}" for key, value in query.items())


# ---- invariants ---------------------------------------------------------------------


def send(
    fuzz: dict[str, Any],
    method: str,
    path: str,
    body: bytes = b"",
    head: dict[str, str] | None = None,
) -> Any:
    REQUESTS["count"] += 1
    body = body.replace(b'"CODE"', json.dumps(fuzz["code"]).encode())
    response = fuzz["api"].http.request(method, path, body=body, headers=head or {})
    assert response.status_code < 500, (method, path, response.status_code, response.body[:300])
    return response


def assert_json_error_if_4xx(response: Any) -> None:
    if 400 <= response.status_code < 500:
        body = json.loads(response.body)
        assert isinstance(body, dict), body
        message = body.get("error", body.get("message"))
        assert isinstance(message, str) and message, body


# ---- one property per route -----------------------------------------------------------


@FUZZ
@given(program=programs)
def test_program_info(fuzz: dict[str, Any], program: str) -> None:
    response = send(fuzz, "GET", f"/v1/programs/{q(program)}")
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    program=programs,
    body=bodies(["email", "name", "signature", "extra"]),
    ctype=content_types,
    auth=auths,
    agent=agents,
)
def test_referrer_issuance(
    fuzz: dict[str, Any], program: str, body: bytes, ctype: str, auth: str | None, agent: str
) -> None:
    path = f"/v1/programs/{q(program)}/referrers"
    response = send(fuzz, "POST", path, body, headers(ctype, auth, agent))
    assert_json_error_if_4xx(response)
    if response.status_code in (200, 201):
        assert urlsplit(json.loads(response.body)["link"]).hostname == "api.example.net"


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {"email": PLAUSIBLE["email"]}, optional={"name": texts | json_values, "signature": texts}
    )
)
def test_referrer_issuance_with_a_valid_envelope(
    fuzz: dict[str, Any], body: dict[str, Any]
) -> None:
    """Right program, JSON, a real email: the hostile part is in the other fields."""
    response = send(
        fuzz,
        "POST",
        "/v1/programs/shop/referrers",
        json.dumps(body).encode(),
        {"content-type": "application/json"},
    )
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    program=programs,
    action=st.sampled_from(["signin", "signin/confirm"]),
    body=bodies(["email", "token"]),
    ctype=content_types,
    agent=agents,
)
def test_signin_links(
    fuzz: dict[str, Any], program: str, action: str, body: bytes, ctype: str, agent: str
) -> None:
    path = f"/v1/programs/{q(program)}/{action}"
    response = send(fuzz, "POST", path, body, headers(ctype, None, agent))
    assert_json_error_if_4xx(response)
    assert response.status_code in (202, 400, 403, 404, 410, 413, 415, 429), response.status_code
    if response.status_code == 202:
        assert set(json.loads(response.body)) == {"sent_to"}


@FUZZ
@given(program=programs, body=bodies(["email", "ref"]), auth=auths)
def test_stats_token_rotation(
    fuzz: dict[str, Any], program: str, body: bytes, auth: str | None
) -> None:
    path = f"/v1/programs/{q(program)}/referrers/rotate-token"
    response = send(fuzz, "POST", path, body, headers("application/json", auth, "admin"))
    assert_json_error_if_4xx(response)
    if response.status_code == 200:
        rotated = json.loads(response.body)
        if rotated["code"] == fuzz["code"]:
            fuzz["token"] = rotated["stats_token"]  # the previous one stopped working
        assert urlsplit(rotated["stats_url"]).hostname == "refer.example.net"


@FUZZ
@given(
    code=segments | st.just("CODE"),
    query=st.dictionaries(st.sampled_from(["ch", "to", "next", "url"]) | texts, texts, max_size=3),
    agent=agents,
    method=st.sampled_from(["GET", "HEAD"]),
)
def test_redirect(
    fuzz: dict[str, Any], code: str, query: dict[str, str], agent: str, method: str
) -> None:
    code = fuzz["code"] if code == "CODE" else code
    path = f"/r/{code}" + (f"?{encode_query(query)}" if query else "")
    response = send(fuzz, method, path, head={"user-agent": agent} if agent else {})
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).hostname in ALLOWED_HOSTS
    elif response.status_code == 403:  # API Gateway's answer to a path no route matches
        assert_json_error_if_4xx(response)
    elif method == "GET":
        assert response.headers["Content-Type"].startswith("text/html")


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["program", "event", "ref", "click", "order", "amount", "currency"])
        | texts,
        texts | st.just("CODE"),
        max_size=7,
    ),
    agent=agents,
)
def test_pixel(fuzz: dict[str, Any], query: dict[str, str], agent: str) -> None:
    query = {k: (fuzz["code"] if v == "CODE" else v) for k, v in query.items()}
    response = send(
        fuzz, "GET", f"/p.gif?{encode_query(query)}", head={"user-agent": agent} if agent else {}
    )
    assert response.status_code == 200
    assert response.body.startswith(b"GIF8")


@FUZZ
@given(
    program=programs,
    body=bodies(["event", "order_id", "amount", "currency", "ref", "click_id"]),
    ctype=content_types,
    auth=auths,
)
def test_conversions(
    fuzz: dict[str, Any], program: str, body: bytes, ctype: str, auth: str | None
) -> None:
    path = f"/v1/programs/{q(program)}/conversions"
    response = send(fuzz, "POST", path, body, headers(ctype, auth, "server"))
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    body=st.fixed_dictionaries(
        {"event": PLAUSIBLE["event"], "ref": st.just("CODE") | texts},
        optional={
            "order_id": PLAUSIBLE["order_id"],
            "amount": PLAUSIBLE["amount"] | json_values,
            "currency": PLAUSIBLE["currency"],
            "click_id": texts,
        },
    )
)
def test_conversions_with_a_valid_envelope(fuzz: dict[str, Any], body: dict[str, Any]) -> None:
    """Right program, JSON, a write key, mostly a real code: the hostile part is the values."""
    response = send(
        fuzz,
        "POST",
        "/v1/programs/shop/conversions",
        json.dumps(body, default=str).encode(),
        {"content-type": "application/json", "authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert_json_error_if_4xx(response)


@FUZZ
@given(token=segments | st.just("TOKEN"))
def test_stats(fuzz: dict[str, Any], token: str) -> None:
    token = fuzz["token"] if token == "TOKEN" else token
    response = send(fuzz, "GET", f"/v1/stats/{token}")
    assert_json_error_if_4xx(response)


@FUZZ
@given(program=programs, code=segments | st.just("CODE"), qr=st.booleans())
def test_code_greeting_and_qr(fuzz: dict[str, Any], program: str, code: str, qr: bool) -> None:
    code = fuzz["code"] if code == "CODE" else code
    response = send(
        fuzz, "GET", f"/v1/programs/{q(program)}/codes/{code}" + ("/qr.svg" if qr else "")
    )
    assert_json_error_if_4xx(response)
    if response.status_code == 200 and not qr:
        assert "@" not in response.body.decode()


@FUZZ
@given(
    program=programs,
    body=bodies(["event", "order_id", "amount", "currency", "ref", "click_id"]),
    ctype=content_types,
    agent=agents,
)
def test_beacon(fuzz: dict[str, Any], program: str, body: bytes, ctype: str, agent: str) -> None:
    response = send(
        fuzz, "POST", f"/v1/programs/{q(program)}/beacon", body, headers(ctype, None, agent)
    )
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    program=programs,
    route=st.sampled_from(["rewards", "coupons", "webhooks/log"]),
    query=st.dictionaries(st.sampled_from(["status", "limit"]) | texts, texts, max_size=2),
    auth=auths,
)
def test_admin_reads(
    fuzz: dict[str, Any], program: str, route: str, query: dict[str, str], auth: str | None
) -> None:
    path = f"/v1/programs/{q(program)}/{route}" + (f"?{encode_query(query)}" if query else "")
    response = send(fuzz, "GET", path, head=headers("", auth, "admin"))
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    program=programs,
    target=st.sampled_from(["coupons", "refund", "paid"]),
    ident=segments,
    body=bodies(["pool", "codes", "event"]),
    auth=auths,
)
def test_admin_writes(
    fuzz: dict[str, Any], program: str, target: str, ident: str, body: bytes, auth: str | None
) -> None:
    path = {
        "coupons": f"/v1/programs/{q(program)}/coupons",
        "refund": f"/v1/programs/{q(program)}/conversions/{ident}/refund",
        "paid": f"/v1/programs/{q(program)}/rewards/{ident}/paid",
    }[target]
    response = send(fuzz, "POST", path, body, headers("application/json", auth, "admin"))
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    token=segments,
    method=st.sampled_from(["GET", "POST"]),
    ctype=st.sampled_from(["application/x-www-form-urlencoded", "text/plain", ""]),
)
def test_unsubscribe_pages(fuzz: dict[str, Any], token: str, method: str, ctype: str) -> None:
    """Pages for people: a bad link is an HTML page saying so, never a 5xx."""
    response = send(
        fuzz, method, f"/v1/unsubscribe/{token}", b"", {"content-type": ctype} if ctype else {}
    )
    if 400 <= response.status_code < 500 and response.status_code != 415:
        assert response.headers["Content-Type"].startswith("text/html")


@FUZZ
@given(program=programs, token=st.none() | st.just("TOKEN") | texts)
def test_leaderboard(fuzz: dict[str, Any], program: str, token: str | None) -> None:
    path = f"/v1/programs/{q(program)}/leaderboard"
    if token is not None:
        path += "?t=" + (fuzz["token"] if token == "TOKEN" else q(token))
    response = send(fuzz, "GET", path)
    assert_json_error_if_4xx(response)
    if response.status_code == 200:
        assert "@" not in response.body.decode()


PERIOD_VALUES = (
    st.sampled_from(["30d", "1y", "12w", "6m", "0d", "9999y", "99999d", "2026-11-01", "x", ""])
    | st.dates().map(str)
    | texts
)


@FUZZ
@given(
    program=programs,
    query=st.dictionaries(
        st.sampled_from(["since", "from", "to", "top"]) | texts, PERIOD_VALUES, max_size=3
    ),
    auth=auths,
)
def test_analytics_report(
    fuzz: dict[str, Any], program: str, query: dict[str, str], auth: str | None
) -> None:
    path = f"/v1/programs/{q(program)}/analytics" + (f"?{encode_query(query)}" if query else "")
    response = send(fuzz, "GET", path, head=headers("", auth, "admin"))
    assert_json_error_if_4xx(response)
    if response.status_code == 200:
        assert json.loads(response.body)["period"]["days"] <= 1096


@FUZZ
@given(
    program=programs,
    export=st.sampled_from(["referrers", "conversions", "rewards"]) | segments,
    query=st.dictionaries(
        st.sampled_from(["format", "status", "limit", "cursor", "since", "from", "to"]) | texts,
        st.sampled_from(["csv", "json", "approved", "2", "1000", "0"]) | PERIOD_VALUES,
        max_size=4,
    ),
    auth=auths,
)
def test_analytics_exports(
    fuzz: dict[str, Any], program: str, export: str, query: dict[str, str], auth: str | None
) -> None:
    path = f"/v1/programs/{q(program)}/analytics/{export}"
    path += f"?{encode_query(query)}" if query else ""
    response = send(fuzz, "GET", path, head=headers("", auth, "admin"))
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    method=st.sampled_from(["PUT", "PATCH", "DELETE"]),
    path=st.sampled_from(
        [
            "/v1/programs/shop",
            "/v1/programs/shop/referrers",
            "/p.gif",
            "/v1/programs/shop/conversions",
            "/v1/stats/x",
            "/r/abc",
        ]
    ),
)
def test_other_methods(fuzz: dict[str, Any], method: str, path: str) -> None:
    response = send(fuzz, method, path, head={"origin": "https://shop.example.com"})
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    program=programs,
    action=st.sampled_from(["list", "approve", "reject"]),
    ident=segments,
    query=st.dictionaries(st.sampled_from(["status", "limit"]) | texts, texts, max_size=2),
    body=bodies(["note", "reason"]),
    auth=auths,
)
def test_review_queue(
    fuzz: dict[str, Any],
    program: str,
    action: str,
    ident: str,
    query: dict[str, str],
    body: bytes,
    auth: str | None,
) -> None:
    base = f"/v1/programs/{q(program)}/reviews"
    if action == "list":
        path = base + (f"?{encode_query(query)}" if query else "")
        response = send(fuzz, "GET", path, head=headers("", auth, "admin"))
    else:
        path = f"{base}/{ident}/{action}"
        response = send(fuzz, "POST", path, body, headers("application/json", auth, "admin"))
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    program=programs,
    action=st.sampled_from(["create", "list", "revoke"]),
    ident=segments | st.text("0123456789abcdef", min_size=8, max_size=64),
    body=bodies(["name", "scope"]),
    auth=auths,
)
def test_admin_keys(
    fuzz: dict[str, Any], program: str, action: str, ident: str, body: bytes, auth: str | None
) -> None:
    base = f"/v1/programs/{q(program)}/keys"
    head = headers("application/json", auth, "admin")
    if action == "list":
        response = send(fuzz, "GET", base, head=head)
    else:
        path = base if action == "create" else f"{base}/{ident}/revoke"
        response = send(fuzz, "POST", path, body, head)
    assert_json_error_if_4xx(response)
    if response.status_code == 201:
        made = json.loads(response.body)
        assert made["key"].startswith("rk_") and made["key"] not in json.dumps(
            json.loads(send(fuzz, "GET", base, head=head).body)
        )


PEOPLE_BODIES = (
    st.fixed_dictionaries({}, optional={"email": st.emails() | texts | json_values}).map(
        lambda d: json.dumps(d, default=str).encode()
    )
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=300)
)


@FUZZ
@given(
    program=programs,
    action=st.sampled_from(["export", "forget"]),
    body=PEOPLE_BODIES,
    auth=auths,
)
def test_people(
    fuzz: dict[str, Any], program: str, action: str, body: bytes, auth: str | None
) -> None:
    path = f"/v1/programs/{q(program)}/people/{action}"
    response = send(fuzz, "POST", path, body, headers("application/json", auth, "admin"))
    assert_json_error_if_4xx(response)


@FUZZ
@given(
    path=st.sampled_from(
        [
            "/v1/programs/{p}",
            "/v1/programs/{p}/referrers",
            "/v1/programs/{p}/beacon",
            "/v1/programs/{p}/signin",
            "/v1/programs/{p}/signin/confirm",
            "/v1/programs/{p}/leaderboard",
            "/v1/programs/{p}/codes/abc2345",
            "/v1/stats/x.1.y",
        ]
    ),
    program=programs,
    origin=st.sampled_from(["https://shop.example.com", "https://refer.example.net", "null", ""])
    | texts,
)
def test_preflights(fuzz: dict[str, Any], path: str, program: str, origin: str) -> None:
    """Preflights reach the function, which answers per program: permission only for the
    program's origins, never a 5xx."""
    head = {"origin": origin, "access-control-request-method": "POST"} if origin else {}
    response = send(fuzz, "OPTIONS", path.replace("{p}", q(program)), head=head)
    assert response.status_code < 500
    granted = response.headers.get("Access-Control-Allow-Origin")
    assert granted in (None, origin)
    if granted is not None:
        assert origin in ("https://shop.example.com", "https://refer.example.net")


def test_at_least_5000_requests_were_generated() -> None:
    if EXAMPLES < DEFAULT_EXAMPLES:
        pytest.skip("REFERBEE_FUZZ_EXAMPLES lowers the number of examples (local runs)")
    assert REQUESTS["count"] >= 5000, REQUESTS["count"]
