"""Emails in referbee.yaml: a program nobody vouches for must be able to send them, their
default texts follow the program's locale, and each template takes its own merge fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chalicelib.domain.config.email_texts import TEXTS
from chalicelib.domain.config.programs import parse_programs
from referbee.cli import main
from tests.unit.test_incentive_config import problems, with_shop

shop = with_shop


def test_a_program_without_identity_secret_must_send_emails() -> None:
    document = shop()
    del document["programs"][0]["emails"]
    [problem] = problems(document)
    assert problem.startswith("program 'shop'.emails: is required when identity_secret is not set")
    assert "stats link by email" in problem and "emails: {from:" in problem
    document["programs"][0]["identity_secret"] = "shop-identity-secret-0123"
    assert parse_programs(document).get("shop").incentives.emails is None


def test_config_check_says_what_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "referbee.yaml").write_text(
        "programs:\n  - id: beans\n    name: Beans\n    landing_url: https://beans.example/\n"
        "    rewards:\n"
        "      referrer: {text: '$10 credit', kind: credit, amount: 10}\n"
        "      friend: {text: '$10 credit', kind: credit, amount: 10}\n"
    )
    result = CliRunner().invoke(main, ["config", "check"])
    assert result.exit_code == 2
    assert "program 'beans'.emails: is required when identity_secret is not set" in result.stderr


@pytest.mark.parametrize(
    ("locale", "language"),
    [(None, "en"), ("en", "en"), ("fr", "fr"), ("FR-ca", "fr"), ("de", "en")],
)
def test_default_texts_follow_the_locale(locale: str | None, language: str) -> None:
    document = shop() if locale is None else shop(locale=locale)
    program = parse_programs(document).get("shop")
    assert program.locale == (locale or "en")
    emails = program.incentives.emails
    assert emails is not None
    texts = TEXTS[language]
    for name, (subject, body) in texts.templates.items():
        assert (emails.template(name).subject, emails.template(name).body) == (subject, body)
    assert (emails.unnamed, emails.footer) == (texts.unnamed, texts.footer)


@pytest.mark.parametrize("locale", ["english", "f", "fr_FR!", "", 7])
def test_a_locale_is_a_language_tag(locale: object) -> None:
    if locale == "":
        assert parse_programs(shop(locale=locale)).get("shop").locale == "en"
        return
    [problem] = problems(shop(locale=locale))
    assert problem.startswith("program 'shop'.locale:")


def test_each_template_takes_its_own_merge_fields() -> None:
    emails = {
        "from": "Shop <rewards@shop.example.com>",
        "sign_in": {"subject": "Sign in", "body": "{name}: {signin_link} ({reward})"},
        "stats_link": {"body": "{stats_link} {tier}"},
        "reward_earned": {"body": "{signin_link}"},
        "tier_reached": {"subject": "{tier}", "body": "{badge} {stats_link}"},
    }
    found = problems(shop(emails=emails))
    assert len(found) == 3, found
    assert found[0].startswith("program 'shop'.emails.reward_earned.body: unknown merge field")
    assert "{signin_link}" in found[0]
    assert "stats_link.body: unknown merge field {tier}" in found[1]
    assert "sign_in.body: unknown merge field {reward}" in found[2]
    emails["sign_in"]["body"] = "{name}: {signin_link} at {program}, {link}"
    emails["stats_link"]["body"] = "{link} {stats_link}"
    emails["reward_earned"]["body"] = "{reward}"
    parsed = parse_programs(shop(emails=emails)).get("shop").incentives.emails
    assert parsed is not None and parsed.sign_in.subject == "Sign in"


def test_an_account_email_must_carry_its_link() -> None:
    emails = {
        "from": "Shop <rewards@shop.example.com>",
        "sign_in": {"body": "Hi {name}, sign in at {link}"},
        "stats_link": {"body": "Your link: {link}"},
    }
    found = problems(shop(emails=emails))
    assert found == [
        "program 'shop'.emails.stats_link.body: must contain {stats_link}: the email is sent "
        "to carry it",
        "program 'shop'.emails.sign_in.body: must contain {signin_link}: the email is sent "
        "to carry it",
    ]
