"""Joining without proof (a program without identity_secret, no admin key): the answer holds
the code and the link only, the same for a new and a known email, and the private stats link
goes to the address by email, a few times an hour at most. A trusted caller (a signature, an
admin key) still gets the stats token."""

from __future__ import annotations

import email
import json
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.context import Context, Links
from chalicelib.domain.outbox.dispatch import dispatch_due
from chalicelib.domain.referrals.identity import identity_signature
from chalicelib.model.clock import FixedClock
from chalicelib.outbound import Outbound
from chalicelib.store.dynamo import DynamoStore
from tests.common import ADMIN_KEY, IDENTITY_SECRET
from tests.helpers import body_of, count_requests, post_json
from tests.trust import scan_table

LINKS = Links("https://api.example.net", "https://refer.example.net")
ADMIN = {"authorization": f"Bearer {ADMIN_KEY}"}
JOIN = "/v1/programs/shop/referrers"


def join(api: Any, address: str, name: str = "Jane Doe") -> Any:
    return post_json(api, JOIN, {"email": address, "name": name})


def trusted(api: Any, address: str, name: str = "Jane Doe") -> dict[str, Any]:
    response = post_json(api, JOIN, {"email": address, "name": name}, ADMIN)
    assert response.status_code in (200, 201), response.body
    return body_of(response)


def sent_emails(ctx: Context, folder: Path) -> list[Any]:
    """Deliver what the outbox holds as .eml files; every email written so far."""
    dispatch_due(ctx, Outbound(outbox_dir=folder, region="us-east-1"), LINKS)
    return [
        email.message_from_bytes(path.read_bytes(), policy=default)
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


def test_an_existing_customers_email_reveals_nothing_more_than_a_new_one(
    api: Any, dynamo_ctx: Context, dynamo_client: Any
) -> None:
    customer = trusted(api, "jane@example.com")  # an existing customer, made by the shop
    known = join(api, "jane@example.com", name="Mallory")
    new = join(api, "kim@example.com")
    assert known.status_code == new.status_code == 200
    assert list(body_of(known)) == list(body_of(new))
    assert list(body_of(known)) == ["code", "program", "link", "stats_link_sent_to"]
    assert body_of(known) == {
        "code": customer["code"],
        "program": "shop",
        "link": customer["link"],
        "stats_link_sent_to": "j\u2026@example.com",
    }
    assert customer["stats_token"] not in known.body.decode()
    assert "/stats/" not in known.body.decode() and "/stats/" not in new.body.decode()
    assert trusted(api, "jane@example.com")["name"] == "Jane Doe"  # left as it was
    assert trusted(api, "kim@example.com", "Kim")["name"] == "Jane Doe"  # as the join gave it
    # The table holds the email's keyed hash and the outbox's merge data: never a token.
    assert customer["stats_token"] not in json.dumps(scan_table(dynamo_client))


def test_a_new_and_a_known_email_cost_the_same_requests(
    api: Any, dynamo_store: DynamoStore
) -> None:
    join(api, "jane@example.com")
    known = count_requests(dynamo_store, lambda: join(api, "jane@example.com"))
    new = count_requests(dynamo_store, lambda: join(api, "kim@example.com"))
    assert known == new == {"GetItem": 1, "UpdateItem": 1, "TransactWriteItems": 1}


def test_the_stats_link_goes_to_the_address_in_a_plain_text_email(
    api: Any, dynamo_ctx: Context, tmp_path: Path
) -> None:
    code = body_of(join(api, "Jane@Example.com"))["code"]
    [message] = sent_emails(dynamo_ctx, tmp_path)
    assert message["To"] == "Jane Doe <jane@example.com>"
    assert message["From"] == "Test Shop <rewards@shop.example.com>"
    assert message["Subject"] == "Your referral link for Test Shop"
    assert message.get_content_type() == "text/plain"
    assert message["List-Unsubscribe"] is None  # asked for, not a newsletter
    body = message.get_content()
    token = dynamo_ctx.signer.stats_token(code)
    assert f"https://api.example.net/r/{code}" in body
    assert f"https://refer.example.net/stats/?t={token}" in body
    assert api.http.get(f"/v1/stats/{token}").status_code == 200


def test_at_most_three_stats_emails_an_hour_and_the_answer_never_changes(
    api: Any, dynamo_ctx: Context, clock: FixedClock, tmp_path: Path
) -> None:
    clock.at -= clock.at % 3600  # the start of an hour
    answers = [join(api, "jane@example.com") for _ in range(5)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.body for a in answers}) == 1
    assert len(sent_emails(dynamo_ctx, tmp_path)) == 3
    other = join(api, "kim@example.com")  # the limit is per address
    assert other.status_code == 200 and len(sent_emails(dynamo_ctx, tmp_path)) == 4
    clock.advance(3600)
    join(api, "jane@example.com")
    assert len(sent_emails(dynamo_ctx, tmp_path)) == 5


def test_the_stats_email_is_sent_after_unsubscribing_from_reward_emails(
    api: Any, dynamo_ctx: Context, tmp_path: Path
) -> None:
    code = trusted(api, "jane@example.com")["code"]
    dynamo_ctx.store.referrers.set_email_opt_out(code, True)
    join(api, "jane@example.com")
    [message] = sent_emails(dynamo_ctx, tmp_path)
    assert message["Subject"] == "Your referral link for Test Shop"


def test_a_trusted_caller_still_gets_the_stats_token(api: Any) -> None:
    signed = {
        "email": "jane@example.com",
        "signature": identity_signature(IDENTITY_SECRET, "jane@example.com"),
    }
    first = post_json(api, "/v1/programs/acme/referrers", signed)
    again = post_json(api, "/v1/programs/acme/referrers", signed)
    assert (first.status_code, again.status_code) == (201, 200)
    token = body_of(first)["stats_token"]
    assert body_of(again)["stats_url"] == f"https://refer.example.net/stats/?t={token}"
    unsigned = post_json(api, "/v1/programs/acme/referrers", {"email": "jane@example.com"})
    assert unsigned.status_code == 401
    by_key = post_json(api, JOIN, {"email": "kim@example.com", "name": "Kim"}, ADMIN)
    assert by_key.status_code == 201
    assert set(body_of(by_key)) == {"code", "program", "name", "link", "stats_token", "stats_url"}


@pytest.mark.parametrize(
    ("locale", "subject", "greeting"),
    [
        ("fr", "Votre lien de parrainage Test Shop", "Bonjour à vous,"),
        ("fr-CA", "Votre lien de parrainage Test Shop", "Bonjour à vous,"),
        ("de", "Your referral link for Test Shop", "Hi there,"),
    ],
)
def test_emails_speak_the_programs_language(
    dynamo_store: DynamoStore,
    tmp_path: Path,
    locale: str,
    subject: str,
    greeting: str,
) -> None:
    from tests.common import config_document
    from tests.trust import trust_api

    document = config_document()
    document["programs"][0]["locale"] = locale
    with trust_api(dynamo_store, document) as (api, ctx):
        assert body_of(api.http.get("/v1/programs/shop"))["locale"] == locale
        join(api, "jane@example.com", name="")
        [message] = sent_emails(ctx, tmp_path)
    assert message["Subject"] == subject
    assert message.get_content().startswith(greeting)
    assert message.get_content_charset() == "utf-8"


def test_a_program_with_an_identity_secret_lets_unsigned_visitors_join_by_email(
    api: Any, dynamo_ctx: Context
) -> None:
    """Its shop signs for signed-in customers; its program page's join form signs nothing.
    When the program sends emails, an unsigned caller joins as anyone does: the code and the
    link, the stats link by email. A wrong signature is still refused."""
    from dataclasses import replace

    from chalicelib.api import deps
    from chalicelib.domain.config.programs import parse_programs
    from tests.common import config_document

    document = config_document()
    document["programs"][1]["emails"] = {"from": "Acme <rewards@acme.example>"}
    deps.use_context(replace(dynamo_ctx, catalogue=parse_programs(document)))
    path = "/v1/programs/acme/referrers"
    unsigned = post_json(api, path, {"email": "ann@example.com"})
    assert unsigned.status_code == 200
    assert list(body_of(unsigned)) == ["code", "program", "link", "stats_link_sent_to"]
    wrong = identity_signature(IDENTITY_SECRET, "someone.else@example.com")
    refused = post_json(api, path, {"email": "ann@example.com", "signature": wrong})
    assert refused.status_code == 401
    right = identity_signature(IDENTITY_SECRET, "ann@example.com")
    signed = post_json(api, path, {"email": "ann@example.com", "signature": right})
    assert signed.status_code == 200
    assert body_of(signed)["code"] == body_of(unsigned)["code"] and "stats_token" in body_of(signed)
