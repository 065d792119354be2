"""Pure parts of notifications and signing: webhook signatures, email rendering, unsubscribe
tokens, click ids that name the visitor."""

from __future__ import annotations

import hashlib
import hmac

from chalicelib.domain.context import Links
from chalicelib.domain.outbox.emails import render_email
from chalicelib.domain.outbox.webhooks import sign, signed_headers, verify
from chalicelib.domain.rewards.events import REWARD_EARNED, TIER_REACHED
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.notifications import Emails, EmailTemplate
from chalicelib.model.records import Referrer
from chalicelib.store.memory import MemoryStore
from tests.common import NOW, SECRET
from tests.incentives import context_for, incentive_document

signer = Signer(SECRET)


def test_webhook_signature_is_hmac_of_timestamp_and_body() -> None:
    body = b'{"id":"ev_1"}'
    expected = hmac.new(b"whsec_0123456789abcdef", b"1795000000." + body, hashlib.sha256)
    assert sign("whsec_0123456789abcdef", 1795000000, body) == "v1=" + expected.hexdigest()
    headers = signed_headers(
        "whsec_0123456789abcdef",
        1795000000,
        body,
        event_type="reward.issued",
        event_id="ev_1",
        attempt=2,
    )
    assert headers["Referbee-Timestamp"] == "1795000000"
    assert (
        headers["Referbee-Delivery-Attempt"] == "2" and headers["Referbee-Event"] == "reward.issued"
    )
    signature = headers["Referbee-Signature"]
    assert verify("whsec_0123456789abcdef", "1795000000", body, signature, now=1795000299)
    assert not verify("whsec_0123456789abcdef", "1795000000", body, signature, now=1795000301)
    assert not verify("whsec_0123456789abcdef", "1795000001", body, signature, now=1795000000)
    assert not verify("whsec_0123456789abcdef", "-5", body, signature, now=1795000000)


def test_click_ids_may_carry_the_visitor_and_old_ones_still_read() -> None:
    visitor = signer.visitor_hash("203.0.113.7", "UA")
    click = signer.read_click_id(signer.click_id("abc2345", NOW, visitor))
    assert click is not None and (click.code, click.at, click.visitor) == ("abc2345", NOW, visitor)
    plain = signer.read_click_id(signer.click_id("abc2345", NOW))
    assert plain is not None and plain.visitor == ""
    forged = signer.click_id("abc2345", NOW, visitor).replace(visitor, "a" * len(visitor))
    assert signer.read_click_id(forged) is None


def test_unsubscribe_tokens_and_customer_keys() -> None:
    token = signer.unsubscribe_token("abc2345")
    assert signer.read_unsubscribe_token(token) == "abc2345"
    assert signer.read_unsubscribe_token(token.replace("abc2345", "abc2346")) is None
    assert signer.read_unsubscribe_token("abc2345.") is None
    assert signer.read_unsubscribe_token("../x.y") is None
    assert signer.stats_token("abc2345") != token  # another key for another purpose
    key = signer.customer_key("shop", "jane@example.com")
    assert (
        key
        == signer.customer_key("shop", "jane@example.com")
        != signer.customer_key("acme", "jane@example.com")
    )
    assert "jane" not in key


def test_emails_fill_merge_fields_and_never_evaluate_them() -> None:
    ctx = context_for(MemoryStore(), incentive_document())
    emails = Emails(
        sender="Bean There <rewards@beans.example>",
        reply_to=None,
        reward_earned=EmailTemplate(
            "Yay {reward}", "{name}|{reward}|{link}|{program}|{tier}|{nope}"
        ),
        tier_reached=EmailTemplate("{tier} {badge}\nBcc: evil@example.com", "{badge}"),
        stats_link=EmailTemplate("Your link", "{link} {stats_link}"),
        sign_in=EmailTemplate("Sign in", "{signin_link}"),
    )
    nameless = Referrer("abc2345", "beans", "k", "jane@example.com", "", NOW)
    links = Links("https://api.example", "https://site.example")
    earned = render_email(
        ctx,
        emails,
        REWARD_EARNED,
        {"reward": "{name} $10"},
        nameless,
        links,
        program_name="Bean There",
    )
    assert earned.get_content().startswith(
        "there|{name} $10|https://api.example/r/abc2345|Bean There||{nope}"
    )
    assert earned["To"] == "jane@example.com" and earned["Subject"] == "Yay {name} $10"
    tier = render_email(
        ctx, emails, TIER_REACHED, {"tier": "Gold", "badge": "G"}, nameless, links, program_name="B"
    )
    assert tier["Subject"] == "Gold G Bcc: evil@example.com"  # one line: no header injection
    assert tier["Bcc"] is None
