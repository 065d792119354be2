"""`referbee init`: a first referbee.yaml for a new program, from a few answers, with the
fields a site owner changes next written as comments. What it writes passes the same
validation as every config (`referbee config check`)."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.domain.config.fields import url_host, url_problem
from chalicelib.domain.config.programs import PROGRAM_ID_RE
from chalicelib.model.currencies import CURRENCIES
from chalicelib.model.errors import ReferbeeError

from . import formats

REWARD_HELP = (
    "a number for store credit (10), a percentage (15%), points (100 points) or a coupon "
    "from a pool you load (coupon, or coupon:welcome)"
)


@dataclass(frozen=True)
class Answers:
    program_id: str
    name: str
    landing_url: str
    currency: str
    referrer: dict[str, Any]
    friend: dict[str, Any]
    sender: str = ""  # emails' From: (default: rewards@ the landing page's host)


def default_sender(name: str, landing_url: str) -> str:
    """`Name <rewards@host>`: the From: of the program's emails, until the owner sets theirs."""
    host = url_host(landing_url).removeprefix("www.")
    return f"{name} <rewards@{host}>"


def check_sender(value: str) -> str:
    address = value.strip()
    if not re.search(r"[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}>?$", address, re.IGNORECASE):
        raise ReferbeeError(f"'{value}' is not an address like 'Shop <rewards@shop.example>'")
    return address


def program_id_from(name: str) -> str:
    """A program id from its name: "Bean There Coffee" -> "bean-there-coffee"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:32].strip("-")
    return slug or "program"


def check_program_id(value: str) -> str:
    if not PROGRAM_ID_RE.fullmatch(value):
        raise ReferbeeError(f"'{value}' must be 1-32 lower-case letters, digits or dashes")
    return value


def check_landing_url(value: str) -> str:
    value = value.strip()
    problem = url_problem(value)
    if problem:
        raise ReferbeeError(problem)
    return value


def check_currency(value: str) -> str:
    code = value.strip().upper()
    if code not in CURRENCIES:
        raise ReferbeeError(f"'{value}' is not an ISO 4217 currency code (USD, EUR, GBP...)")
    return code


def check_reward_words(words: str) -> str:
    """The words of a reward, checked (their currency does not change what they mean)."""
    reward_from_words(words, "referrer", "USD")
    return words.strip()


def reward_from_words(words: str, side: str, currency: str) -> dict[str, Any]:
    """A reward from a few words: "10" or "$10" (credit), "15%", "100 points", "coupon[:pool]"."""
    text = words.strip().lower()
    if text.startswith("coupon"):
        pool = text.partition(":")[2].strip() or "default"
        return {"text": "A coupon code", "kind": "coupon", "pool": pool}
    if text.endswith("points"):
        points = _number(text.removesuffix("points"), words)
        if points != points.to_integral_value() or points < 1:
            raise ReferbeeError(f"'{words}': points are a whole number, at least 1")
        return {
            "text": formats.things(int(points), "point", "points"),
            "kind": "points",
            "points": int(points),
        }
    if text.endswith("%"):
        percent = _number(text.removesuffix("%"), words)
        if not 0 < percent <= 100:
            raise ReferbeeError(f"'{words}': a percentage is more than 0 and at most 100")
        shown = formats.percent(percent / 100).replace(".0%", "%")
        what = "off your first order" if side == "friend" else "of your friend's order"
        reward = {"text": f"{shown} {what}", "kind": "percent", "percent": _plain(percent)}
        # "off your first order" is a promise: the rule says the same.
        return {**reward, "first_purchase_only": True} if side == "friend" else reward
    amount = _number(re.sub(r"[^0-9.,]", "", text).replace(",", ""), words)
    if amount <= 0:
        raise ReferbeeError(f"'{words}': an amount of credit is more than 0")
    return {
        "text": f"{formats.round_money(amount, currency)} store credit",
        "kind": "credit",
        "amount": _plain(amount),
    }


def starter_config(answers: Answers) -> str:
    """The commented referbee.yaml for these answers."""
    host = url_host(answers.landing_url)
    lines = [
        "# referbee.yaml: your referral program. Every field: docs/config.md.",
        "# Check it with `referbee config check`, try it with `referbee dev`.",
        "# Lines starting with # are optional fields: remove the # to use one.",
        "programs:",
        f"  - id: {answers.program_id}  # in links and the API; do not change it once live",
        f"    name: {_q(answers.name)}  # what customers see (80 characters at most)",
        f"    landing_url: {_q(answers.landing_url)}  # where a referral link sends people",
        f"    currency: {answers.currency}  # amounts without a currency are in this one",
        "    rewards:",
        f"      referrer: {_flow(answers.referrer)}  # what the one who shares gets",
        f"      friend: {_flow(answers.friend)}  # what the friend they bring gets",
        "      # hold_days: 14  # rewards stay pending this long: your refund window",
        "    emails:  # customers who join with their email get their private stats link by email",
        f"      from: {_q(answers.sender or default_sender(answers.name, answers.landing_url))}"
        "  # an address your mail service may send from",
        f"    # allowed_hosts: [{host}, www.{host}]  # hosts that links may send people to",
        "    # attribution_window_days: 30  # how long a click can still earn a referral",
        '    # share_message: "I love {program}! Use my link and get {friend_reward}: {link}"',
        f"    # identity_secret: ${{{_env_name(answers.program_id)}}}  # from your server's "
        "environment: only your server can fetch a customer's link",
        "    # widget:",
        f"    #   title: {_q(('Refer a friend to ' + answers.name)[:60])}",
        "    #   launcher_position: right  # or left",
        "    # brand:",
        '    #   primary_color: "#3f51b5"  # the site and widget take their colors from it',
        "    # site:",
        "    #   leaderboard: false  # a public page of top referrers (first names masked)",
    ]
    return "\n".join(lines) + "\n"


def _number(raw: str, words: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ReferbeeError(f"cannot read the reward '{words}': write {REWARD_HELP}") from None
    if not value.is_finite():
        raise ReferbeeError(f"cannot read the reward '{words}': write {REWARD_HELP}")
    return value


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _q(text: str) -> str:
    """A YAML string: JSON's double-quoted form is valid YAML and escapes everything."""
    return json.dumps(text, ensure_ascii=False)


def _flow(reward: dict[str, Any]) -> str:
    parts = [f"{key}: {_q(value) if key == 'text' else value}" for key, value in reward.items()]
    return "{" + ", ".join(parts) + "}"


def _env_name(program_id: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", program_id.upper()) + "_IDENTITY_SECRET"
