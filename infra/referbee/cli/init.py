"""`referbee init`: write a first referbee.yaml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from chalicelib.model.errors import ReferbeeError

from .options import config_option, fails_cleanly

REWARD_PROMPT = "What does the {side} get? (10 = store credit, 15%, 100 points, coupon)"


def _starter() -> Any:
    from .. import starter

    return starter


def _checked(name: str) -> Callable[[str], str]:
    """A starter check as a click type: a bad answer is explained (and asked again when
    prompting)."""

    def convert(value: str) -> str:
        try:
            result: str = getattr(_starter(), name)(str(value))
        except ReferbeeError as exc:
            raise click.BadParameter(exc.message) from None
        return result

    convert.__name__ = name.removeprefix("check_")
    return convert


@click.command()
@config_option("The file to write.", defaults_to_file=True)
@click.option("--name", help="The program's name, as customers see it (asked if not given).")
@click.option(
    "--landing-url",
    type=_checked("check_landing_url"),
    help="Where a referral link sends people: https://, or http:// for localhost.",
)
@click.option(
    "--currency",
    type=_checked("check_currency"),
    help="The program's currency, ISO 4217 (default: USD).",
)
@click.option(
    "--referrer-reward",
    type=_checked("check_reward_words"),
    help="The referrer's reward: 10 (store credit), 15%, 100 points or coupon[:pool] "
    "(default: 10).",
)
@click.option(
    "--friend-reward",
    type=_checked("check_reward_words"),
    help="The referred friend's reward, written the same way (default: 15%).",
)
@click.option(
    "--id",
    "program_id",
    type=_checked("check_program_id"),
    help="The program's id in links and the API (default: made from the name).",
)
@click.option(
    "--email-from",
    type=_checked("check_sender"),
    help="The From: of emails to customers, e.g. 'Shop <rewards@shop.example>' (default: "
    "rewards@ the landing page's host).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@fails_cleanly
def init(
    config_path: Path,
    name: str | None,
    landing_url: str | None,
    currency: str | None,
    referrer_reward: str | None,
    friend_reward: str | None,
    program_id: str | None,
    email_from: str | None,
    force: bool,
) -> None:
    """Write a commented referbee.yaml for a new program. Without --name it asks for the
    name, landing URL, currency and rewards; scripts give them as options."""
    import yaml

    from chalicelib.domain.config.programs import parse_programs

    starter = _starter()
    if config_path.exists() and not force:
        raise ReferbeeError(
            f"{config_path} already exists: edit it, pass --force to replace it, or write "
            "another file with --config OTHER.yaml"
        )
    if name is None:
        name = click.prompt("Program name (what customers see)")
        landing_url = landing_url or click.prompt(
            "Landing URL (where a referral link sends people)",
            value_proc=_checked("check_landing_url"),
        )
        currency = currency or click.prompt(
            "Currency", default="USD", value_proc=_checked("check_currency")
        )
        referrer_reward = referrer_reward or _ask_reward("referrer", "10")
        friend_reward = friend_reward or _ask_reward("friend", "15%")
        email_from = email_from or click.prompt(
            "Sender of emails to your customers",
            default=starter.default_sender(name, landing_url),
            value_proc=_checked("check_sender"),
        )
    if not landing_url:
        raise click.UsageError("give --landing-url: where a referral link sends people")
    currency = currency or "USD"
    answers = starter.Answers(
        program_id=program_id or starter.program_id_from(name),
        name=str(name).strip(),
        landing_url=landing_url,
        currency=currency,
        referrer=starter.reward_from_words(referrer_reward or "10", "referrer", currency),
        friend=starter.reward_from_words(friend_reward or "15%", "friend", currency),
        sender=email_from or "",
    )
    text = starter.starter_config(answers)
    parse_programs(yaml.safe_load(text))  # what `referbee config check` will say
    try:
        config_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReferbeeError(f"{config_path}: cannot be written ({exc.strerror})") from exc
    check = "" if str(config_path) == "referbee.yaml" else f" --config {config_path}"
    click.echo(f"Wrote {config_path} for the program '{answers.program_id}'. Next:")
    click.echo(f"  referbee config check{check}   validate it after each edit")
    click.echo(f"  referbee dev{check}            run it on this machine")


def _ask_reward(side: str, default: str) -> str:
    answer: str = click.prompt(
        REWARD_PROMPT.format(side=side), default=default, value_proc=_checked("check_reward_words")
    )
    return answer
