"""Sign-in links: asked for with an email (the same answer for a known and an unknown one, an
email only to a known one), limited per address and per client, kept only as a keyed hash for
30 minutes, and spent once by the site's POST, for its own program only."""

from __future__ import annotations

import email
import json
import re
import threading
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.access.signin import SPENT, confirm_signin
from chalicelib.domain.context import Context, Links
from chalicelib.domain.outbox.dispatch import dispatch_due
from chalicelib.model.clock import FixedClock
from chalicelib.model.errors import GoneError
from chalicelib.outbound import Outbound
from tests.common import ADMIN_KEY
from tests.helpers import body_of, post_json
from tests.trust import scan_table

LINKS = Links("https://api.example.net", "https://refer.example.net")
ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}
LINK_RE = re.compile(r"https://refer\.example\.net/signin/\?p=(?P<p>[a-z0-9-]+)&t=(?P<t>\S+)")


def customer(api: Any, address: str = "jane@example.com", program: str = "shop") -> Any:
    response = post_json(
        api, f"/v1/programs/{program}/referrers", {"email": address, "name": "Jane"}, ADMIN
    )
    assert response.status_code == 201, response.body
    return body_of(response)


def ask(api: Any, address: str, program: str = "shop", **headers: str) -> Any:
    return post_json(api, f"/v1/programs/{program}/signin", {"email": address}, headers)


def confirm(api: Any, token: object, program: str = "shop") -> Any:
    return post_json(api, f"/v1/programs/{program}/signin/confirm", {"token": token})


def signin_tokens(ctx: Context, folder: Path) -> list[str]:
    """Deliver the outbox as .eml files; the token of every sign-in link sent so far."""
    dispatch_due(ctx, Outbound(outbox_dir=folder, region="us-east-1"), LINKS)
    tokens = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        body = email.message_from_bytes(path.read_bytes(), policy=default).get_content()
        tokens += [match["t"] for match in LINK_RE.finditer(body)]
    return tokens


def mailed_link(api: Any, ctx: Context, folder: Path) -> str:
    """Jane is a customer of shop and asks for a sign-in link: its token, from the email."""
    customer(api)
    ask(api, "jane@example.com")
    [token] = signin_tokens(ctx, folder)
    return token


def test_a_known_and_an_unknown_address_get_the_same_answer(
    api: Any, dynamo_ctx: Context, tmp_path: Path
) -> None:
    customer(api)
    known, unknown = ask(api, "Jane@Example.com"), ask(api, "nobody@example.com")
    assert (known.status_code, unknown.status_code) == (202, 202)
    assert body_of(known) == {"sent_to": "j\u2026@example.com"}
    assert body_of(unknown) == {"sent_to": "n\u2026@example.com"}
    assert known.headers["Cache-Control"] == "no-store"
    [token] = signin_tokens(dynamo_ctx, tmp_path)  # only the customer got an email
    assert re.fullmatch(r"[0-9a-f]{48}", token)


def test_the_email_holds_a_single_use_link_and_the_table_never_the_token(
    api: Any, dynamo_ctx: Context, dynamo_client: Any, tmp_path: Path
) -> None:
    jane = customer(api)
    ask(api, "jane@example.com")
    [token] = signin_tokens(dynamo_ctx, tmp_path)
    [eml] = list(tmp_path.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert message["To"] == "Jane <jane@example.com>"
    assert message["Subject"] == "Sign in to Test Shop"
    assert message.get_content_type() == "text/plain"
    assert "within 30 minutes" in message.get_content()
    assert f"https://refer.example.net/signin/?p=shop&t={token}" in message.get_content()
    table = json.dumps(scan_table(dynamo_client))
    assert token not in table
    assert f"SIGNIN#{dynamo_ctx.signer.signin_hash(token)}" in table
    first = confirm(api, token)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    assert body_of(first) == {"stats_token": jane["stats_token"], "stats_url": jane["stats_url"]}
    assert api.http.get(f"/v1/stats/{jane['stats_token']}").status_code == 200
    again = confirm(api, token)
    assert again.status_code == 410
    assert body_of(again) == {"error": SPENT}
    assert "SIGNIN#" not in json.dumps(scan_table(dynamo_client))


def test_a_link_expires_after_30_minutes(
    api: Any, dynamo_ctx: Context, clock: FixedClock, tmp_path: Path
) -> None:
    customer(api)
    ask(api, "jane@example.com")
    ask(api, "jane@example.com")
    first, second = signin_tokens(dynamo_ctx, tmp_path)
    clock.advance(30 * 60 - 1)
    assert confirm(api, first).status_code == 200
    clock.advance(1)
    late = confirm(api, second)
    assert (late.status_code, body_of(late)) == (410, {"error": SPENT})


def test_a_link_works_for_its_own_program_only(
    api: Any, dynamo_ctx: Context, tmp_path: Path
) -> None:
    token = mailed_link(api, dynamo_ctx, tmp_path)
    for program in ("acme", "nope"):
        refused = confirm(api, token, program)
        assert refused.status_code in (404, 410)
    assert body_of(confirm(api, token, "acme")) == {"error": SPENT}
    assert confirm(api, token).status_code == 200  # trying elsewhere spent nothing


def test_nothing_but_the_confirming_post_spends_a_link(
    api: Any, dynamo_ctx: Context, tmp_path: Path
) -> None:
    token = mailed_link(api, dynamo_ctx, tmp_path)
    for method in ("GET", "HEAD"):
        for path in ("/v1/programs/shop/signin/confirm", "/v1/programs/shop/signin"):
            answer = api.http.request(method, f"{path}?token={token}&t={token}")
            assert answer.status_code == 405
    assert confirm(api, token).status_code == 200


def test_of_concurrent_confirmations_exactly_one_signs_in(
    api: Any, dynamo_ctx: Context, tmp_path: Path
) -> None:
    token = mailed_link(api, dynamo_ctx, tmp_path)
    program = dynamo_ctx.catalogue.get("shop")
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def follow() -> None:
        start.wait()
        try:
            confirm_signin(dynamo_ctx, program, {"token": token}, LINKS)
            outcomes.append("signed in")
        except GoneError:
            outcomes.append("gone")

    threads = [threading.Thread(target=follow) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["gone"] * 7 + ["signed in"]


def test_too_many_requests_for_one_address_get_429(
    api: Any, dynamo_ctx: Context, clock: FixedClock, tmp_path: Path
) -> None:
    clock.at -= clock.at % 3600 - 600  # 50 minutes left in the hour
    customer(api)
    for address in ("jane@example.com", "nobody@example.com"):
        answers = [ask(api, address) for _ in range(6)]
        assert [a.status_code for a in answers] == [202] * 5 + [429]
        assert answers[-1].headers["Retry-After"] == "3000"
        assert "try again" in body_of(answers[-1])["error"]
    assert len(signin_tokens(dynamo_ctx, tmp_path)) == 5
    clock.advance(3000)
    assert ask(api, "jane@example.com").status_code == 202


def test_too_many_requests_from_one_client_get_429(api: Any, clock: FixedClock) -> None:
    clock.at -= clock.at % 3600
    answers = [ask(api, f"user{n}@example.com") for n in range(21)]
    assert [a.status_code for a in answers] == [202] * 20 + [429]
    assert answers[-1].headers["Retry-After"] == "3600"


def test_a_forgotten_customers_link_stops_working(
    api: Any, dynamo_ctx: Context, dynamo_client: Any, clock: FixedClock, tmp_path: Path
) -> None:
    customer(api)
    ask(api, "jane@example.com")
    clock.advance(3600)  # one window of the per-address limit, and its successor
    ask(api, "jane@example.com")
    _, token = signin_tokens(dynamo_ctx, tmp_path)  # the first one has expired
    email_key = dynamo_ctx.signer.email_key("shop", "jane@example.com")
    assert email_key in json.dumps(scan_table(dynamo_client))
    forgot = post_json(api, "/v1/programs/shop/people/forget", {"email": "jane@example.com"}, ADMIN)
    assert forgot.status_code == 200
    assert email_key not in json.dumps(scan_table(dynamo_client))  # nor its rate windows
    assert confirm(api, token).status_code == 410
    assert ask(api, "jane@example.com").status_code == 202
    assert len(signin_tokens(dynamo_ctx, tmp_path)) == 2  # no longer a customer: no new email


def test_a_program_that_sends_no_emails_has_no_signin_links(api: Any) -> None:
    customer(api, program="acme")  # acme: identity_secret, no emails
    answer = ask(api, "jane@example.com", program="acme")
    assert answer.status_code == 404
    assert "sends no emails" in body_of(answer)["error"]


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("signin", {}, 400, "'email' is required"),
        ("signin", {"email": "not an email"}, 400, "not a valid address"),
        ("signin", {"email": "a@b.co", "name": "x"}, 400, "Unknown field 'name'"),
        ("signin", b"{nope", 400, "not valid JSON"),
        ("signin/confirm", {}, 400, "'token' is required"),
        ("signin/confirm", {"token": 5}, 400, "'token' is required"),
        ("signin/confirm", {"token": "x" * 48}, 410, "expired or was already used"),
        ("signin/confirm", {"token": "0" * 48}, 410, "expired or was already used"),
        ("signin/confirm", {"token": "a", "email": "b"}, 400, "Unknown field 'email'"),
    ],
)
def test_bad_signin_requests_get_clear_errors(
    api: Any, path: str, body: Any, status: int, message: str
) -> None:
    answer = post_json(api, f"/v1/programs/shop/{path}", body)
    assert answer.status_code == status
    assert message in body_of(answer)["error"]


def test_pages_of_other_sites_may_not_ask_or_confirm(api: Any) -> None:
    evil = {"origin": "https://evil.example"}
    assert ask(api, "jane@example.com", **evil).status_code == 403
    site = {"origin": "https://refer.example.net"}
    answer = ask(api, "jane@example.com", **site)
    assert answer.status_code == 202
    assert answer.headers["Access-Control-Allow-Origin"] == "https://refer.example.net"
    preflight = api.http.request(
        "OPTIONS",
        "/v1/programs/shop/signin/confirm",
        headers={**site, "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST, OPTIONS"
