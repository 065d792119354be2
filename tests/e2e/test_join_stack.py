"""Joining and signing in on `referbee dev`, over real HTTP: an anonymous issuance reveals no
stats link, for a known email as for a new one, and mails it instead; a signed one still
answers it; a sign-in link from an .eml works once, not twice, not for another program, not
after 30 minutes (the stack's clock moved through its clock offset file), and not because a
GET fetched it first; the rate limit answers 429; `referbee referrers rotate-token` replaces a
stats link."""

from __future__ import annotations

import concurrent.futures
import email
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.referrals.identity import identity_signature

from .stack import DevStack, Reply, request, serve

pytestmark = pytest.mark.e2e

KEY = "rk_e2e_admin_key_for_joining_0123456789"
SECRET = "teas-identity-secret-0123"
SPENT = "This sign-in link has expired or was already used: ask for a new one."


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    running = DevStack(tmp_path, KEY)

    def program(program_id: str, name: str, **extra: Any) -> dict[str, Any]:
        """A program landing on the stack's demo shop, whose emails come from `name`."""
        sender = f"{name} <rewards@{program_id}.example>"
        credit = {"text": "$10 store credit", "kind": "credit", "amount": 10}
        return dict(
            id=program_id,
            name=name,
            landing_url=f"{running.site}/shop/",
            allowed_hosts=["127.0.0.1"],
            rewards={"referrer": credit, "friend": credit},
            emails={"from": sender},
            **extra,
        )

    beans = program("beans", "Bean There", rate_limits={"signin_email": 3})
    teas = program("teas", "Tea Time", identity_secret=SECRET)
    yield from serve(running, {"programs": [beans, teas]})


class Mailbox:
    """The .eml files `referbee dev` writes, read as they arrive."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[str] = set()

    def next(self, to: str, subject: str, timeout: float = 30) -> str:
        """The body of the next email to `to` with `subject`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.folder.glob("*.eml")) if self.folder.exists() else []:
                if path.name in self.seen:
                    continue
                message = email.message_from_bytes(path.read_bytes(), policy=default)
                if to in str(message["To"]) and message["Subject"] == subject:
                    self.seen.add(path.name)
                    return str(message.get_content())
            time.sleep(0.2)
        raise AssertionError(f"no email '{subject}' to {to} within {timeout:.0f} s")


def post(stack: DevStack, path: str, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return request("POST", f"{stack.api}{path}", body, headers)


def signin_link(stack: DevStack, mailbox: Mailbox, address: str, program: str = "beans") -> str:
    asked = post(stack, f"/v1/programs/{program}/signin", {"email": address})
    assert asked.status == 202, asked.body
    body = mailbox.next(address, "Sign in to Bean There")
    found = re.search(rf"{re.escape(stack.site)}/signin/\?p=beans&t=(\S+)", body)
    assert found, body
    return found.group(0)


def token_of(link: str) -> str:
    return link.rpartition("&t=")[2]


def confirm(stack: DevStack, token: str, program: str = "beans") -> Reply:
    return post(stack, f"/v1/programs/{program}/signin/confirm", {"token": token})


def test_joining_reveals_no_stats_link_and_mails_it(stack: DevStack, tmp_path: Path) -> None:
    outbox = tmp_path / ".referbee" / "dev" / "outbox"
    assert f"Emails       {outbox.resolve()}  (.eml files)" in stack.output()
    mailbox = Mailbox(outbox)
    auth = {"Authorization": f"Bearer {KEY}"}
    customer = post(stack, "/v1/programs/beans/referrers", {"email": "jane@example.com"}, auth)
    assert customer.status == 201
    token = customer.json()["stats_token"]

    known = post(stack, "/v1/programs/beans/referrers", {"email": "jane@example.com"})
    new = post(stack, "/v1/programs/beans/referrers", {"email": "kim@example.com", "name": "Kim"})
    assert known.status == new.status == 200
    for reply in (known, new):
        assert list(reply.json()) == ["code", "program", "link", "stats_link_sent_to"]
        assert b"stats" not in reply.body.replace(b"stats_link_sent_to", b"")
    assert token not in known.body.decode()
    assert known.json()["stats_link_sent_to"] == "j\u2026@example.com"

    mailed = mailbox.next("jane@example.com", "Your referral link for Bean There")
    assert f"{stack.site}/stats/?t={token}" in mailed
    kims = mailbox.next("kim@example.com", "Your referral link for Bean There")
    kim_url = re.search(rf"{re.escape(stack.site)}/stats/\?t=(\S+)", kims)
    assert kim_url and request("GET", f"{stack.api}/v1/stats/{kim_url.group(1)}").status == 200

    signed = {
        "email": "lee@example.com",
        "signature": identity_signature(SECRET, "lee@example.com"),
    }
    trusted = post(stack, "/v1/programs/teas/referrers", signed)
    assert trusted.status == 201 and "stats_token" in trusted.json()
    # Unsigned, the same address joins as anyone may: the link, and the stats link by email.
    unsigned = post(stack, "/v1/programs/teas/referrers", {"email": "lee@example.com"})
    assert unsigned.status == 200
    assert list(unsigned.json()) == ["code", "program", "link", "stats_link_sent_to"]
    assert unsigned.json()["code"] == trusted.json()["code"]
    forged = post(stack, "/v1/programs/teas/referrers", {**signed, "signature": "0" * 64})
    assert forged.status == 401
    assert "stats_token" not in forged.body.decode()


def test_a_signin_link_works_once_for_its_program_for_30_minutes(
    stack: DevStack, tmp_path: Path
) -> None:
    state = tmp_path / ".referbee" / "dev"
    mailbox = Mailbox(state / "outbox")
    auth = {"Authorization": f"Bearer {KEY}"}
    jane = post(stack, "/v1/programs/beans/referrers", {"email": "jane@example.com"}, auth).json()
    for address in ("kim@example.com", "lee@example.com"):
        post(stack, "/v1/programs/beans/referrers", {"email": address}, auth)
    unknown = post(stack, "/v1/programs/beans/signin", {"email": "nobody@example.com"})
    assert (unknown.status, unknown.json()) == (202, {"sent_to": "n\u2026@example.com"})

    # A mail scanner fetches the link, and the API's routes with it: nothing is spent.
    link = signin_link(stack, mailbox, "jane@example.com")
    assert request("GET", link).status in (200, 404)  # the site's page, or none yet
    for path in ("/v1/programs/beans/signin/confirm", "/v1/programs/beans/signin"):
        assert request("GET", f"{stack.api}{path}?token={token_of(link)}").status == 405
    first = confirm(stack, token_of(link))
    assert first.status == 200, first.body
    assert first.json() == {"stats_token": jane["stats_token"], "stats_url": jane["stats_url"]}
    again = confirm(stack, token_of(link))
    assert (again.status, again.json()) == (410, {"error": SPENT})

    # Another program's confirmation neither works nor spends it.
    link = signin_link(stack, mailbox, "kim@example.com")
    assert confirm(stack, token_of(link), "teas").status == 410
    assert confirm(stack, token_of(link)).status == 200

    # Racing confirmations: exactly one signs in.
    link = signin_link(stack, mailbox, "lee@example.com")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: confirm(stack, token_of(link)).status, range(8)))
    assert sorted(statuses) == [200] + [410] * 7

    # 30 minutes later (the stack's clock moved, not waited for), a link no longer works.
    link = signin_link(stack, mailbox, "jane@example.com")
    (state / "clock-offset").write_text(str(30 * 60 + 1))
    late = confirm(stack, token_of(link))
    assert (late.status, late.json()) == (410, {"error": SPENT})


def test_too_many_signin_requests_get_429(stack: DevStack) -> None:
    statuses = [
        post(stack, "/v1/programs/beans/signin", {"email": "jane@example.com"}) for _ in range(4)
    ]
    assert [s.status for s in statuses] == [202, 202, 202, 429]
    assert 0 < int(statuses[-1].headers["retry-after"]) <= 3600


def test_rotating_a_stats_token_with_the_cli(stack: DevStack, tmp_path: Path) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    jane = post(stack, "/v1/programs/beans/referrers", {"email": "jane@example.com"}, auth).json()
    command = ["referrers", "rotate-token", "--program", "beans", "--admin-key", KEY]
    result = subprocess.run(
        [sys.executable, "-m", "referbee.cli", *command, "jane@example.com"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = re.search(
        rf"{jane['code']}: new stats link {re.escape(stack.site)}/stats/\?t=(\S+)", result.stdout
    )
    assert found, result.stdout
    assert request("GET", f"{stack.api}/v1/stats/{jane['stats_token']}").status == 404
    assert request("GET", f"{stack.api}/v1/stats/{found.group(1)}").status == 200
