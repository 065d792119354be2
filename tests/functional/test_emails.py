"""Reward emails: rendered from the program's templates, written as .eml files (dev) or sent
through SES (moto), and never sent again after the referrer unsubscribes."""

from __future__ import annotations

import email
from email.message import Message
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from chalicelib.api import deps
from chalicelib.domain.context import Context, Links
from chalicelib.domain.outbox.dispatch import dispatch_due
from chalicelib.model.clock import FixedClock
from chalicelib.outbound import Outbound
from chalicelib.store.dynamo import DynamoStore
from tests.common import NOW
from tests.incentives import add_referrer, context_for, incentive_document, purchase

LINKS = Links("https://api.example.net", "https://refer.example.net")
TEMPLATES = {
    "from": "Bean There <rewards@beans.example>",
    "reply_to": "help@beans.example",
    "tier_reached": {
        "subject": "{name}, you are {tier} now",
        "body": "Hi {name}! {program} made you {tier} ({badge}): {reward}.\nStats: {stats_link}\n",
    },
}


@pytest.fixture
def ctx(dynamo_store: DynamoStore) -> Context:
    friend = {"text": "100 points", "kind": "points", "points": 100}
    tiers = [
        {
            "name": "Silver",
            "at": 2,
            "badge": "silver",
            "reward": {"text": "$20 bonus", "kind": "credit", "amount": 20},
        }
    ]
    document = incentive_document(hold_days=0, friend=friend, tiers=tiers, emails=TEMPLATES)
    context = context_for(dynamo_store, document, FixedClock(NOW))
    add_referrer(context)
    return context


def outbox_messages(folder: Path) -> list[Message]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=default)
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


def test_reward_and_tier_emails_are_readable_eml_files(ctx: Context, tmp_path: Path) -> None:
    outbound = Outbound(outbox_dir=tmp_path, region="us-east-1")
    purchase(ctx, "o1")
    dispatch_due(ctx, outbound, LINKS)
    [earned] = outbox_messages(tmp_path)
    assert earned["To"] == "Jane Doe <abc2345@example.com>"
    assert earned["From"] == "Bean There <rewards@beans.example>"
    assert earned["Reply-To"] == "help@beans.example"
    assert earned["Subject"] == "You earned $10 credit"
    token = ctx.signer.unsubscribe_token("abc2345")
    assert earned["List-Unsubscribe"] == f"<https://api.example.net/v1/unsubscribe/{token}>"
    body = earned.get_content()
    assert body.startswith("Hi Jane Doe,")
    assert "https://api.example.net/r/abc2345" in body
    stats_token = ctx.signer.stats_token("abc2345")
    assert f"https://refer.example.net/stats/?t={stats_token}" in body
    assert f"To stop these emails: https://api.example.net/v1/unsubscribe/{token}" in body

    purchase(ctx, "o2")  # the second successful referral: Silver
    dispatch_due(ctx, outbound, LINKS)
    subjects = [m["Subject"] for m in outbox_messages(tmp_path)]
    assert sorted(subjects) == sorted(
        ["You earned $10 credit", "You earned $10 credit", "Jane Doe, you are Silver now"]
    )
    tier = next(m for m in outbox_messages(tmp_path) if "Silver" in m["Subject"])
    assert "Bean There made you Silver (silver): $20 bonus." in tier.get_content()
    assert dispatch_due(ctx, outbound, LINKS) == []


def test_unsubscribing_stops_the_emails(ctx: Context, tmp_path: Path) -> None:
    from chalice.test import Client

    from app import app

    token = ctx.signer.unsubscribe_token("abc2345")
    deps.reset()
    deps.use_context(ctx)
    try:
        with Client(app) as api:
            page = api.http.get(f"/v1/unsubscribe/{token}")
            assert page.status_code == 200 and b'<form method="post">' in page.body
            assert (
                ctx.store.referrers.get_referrer("abc2345").email_opt_out is False
            )  # GET changes nothing
            forged = api.http.post(f"/v1/unsubscribe/abc2345.{'a' * 26}")
            assert forged.status_code == 404
            done = api.http.post(
                f"/v1/unsubscribe/{token}",
                body=b"List-Unsubscribe=One-Click",
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
            assert done.status_code == 200 and b"unsubscribed" in done.body
    finally:
        deps.reset()
    assert ctx.store.referrers.get_referrer("abc2345").email_opt_out is True
    purchase(ctx, "o1")
    attempts = dispatch_due(ctx, Outbound(outbox_dir=tmp_path, region="us-east-1"), LINKS)
    [skipped] = [a for a in attempts if a.target == "email"]
    assert (skipped.outcome, skipped.error) == ("skipped", "the referrer unsubscribed")
    assert list(tmp_path.glob("*.eml")) == []


def test_production_emails_go_through_ses(ctx: Context, dynamo_client: Any) -> None:
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    outbound = Outbound(outbox_dir=None, region="us-east-1")
    purchase(ctx, "o1")
    [refused] = [a for a in dispatch_due(ctx, outbound, LINKS) if a.target == "email"]
    assert refused.outcome == "retry" and "SES refused" in refused.error  # sender not verified
    boto3.client("sesv2", region_name="us-east-1").create_email_identity(
        EmailIdentity="rewards@beans.example"
    )
    ctx.clock.advance(60)  # type: ignore[attr-defined]
    [sent] = [a for a in dispatch_due(ctx, outbound, LINKS) if a.target == "email"]
    assert sent.outcome == "delivered"
    [message] = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    assert "You earned $10 credit" in message.raw_data
    assert "abc2345@example.com" in message.destinations[0]
