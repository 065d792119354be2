"""Referral programs as declared in referbee.yaml: validated once, then read-only.

The Lambda reads the validated programs from JSON (see `parse_programs`); the CLI reads YAML,
fills in `${ENV}` references and hands the same structure to `parse_programs`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...model.currencies import CURRENCIES
from ...model.errors import ConfigError
from ...model.fraud import FraudRules
from ...model.incentives import Incentives
from ...model.program import Catalogue, Program
from .fields import LOCALE_RE, FieldReader, kind_of, url_host, url_problem
from .fraud import parse_fraud, parse_rate_limits
from .incentives import POLICY_FIELDS, PROGRAM_FIELDS, parse_incentives, parse_reward
from .payments import parse_discount_codes, parse_payments
from .site import parse_brand, parse_site
from .trust import parse_trust
from .widget import parse_widget

PROGRAM_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,30}[a-z0-9]|[a-z0-9]")
PAGE_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
ORIGIN_RE = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?")
SUCCESS_EVENTS = ("signup", "purchase")
DEFAULT_SHARE_MESSAGE = "I love {program}! Use my link and get {friend_reward}: {link}"
SHARE_FIELDS = ("program", "friend_reward", "referrer_reward", "link", "name")

_PROGRAM_FIELDS = (
    "id",
    "name",
    "landing_url",
    "allowed_hosts",
    "landing_pages",
    "currency",
    "attribution_window_days",
    "share_message",
    "identity_secret",
    "rewards",
    "success_event",
    "brand",
    "site",
    "widget",
    "fraud",
    "rate_limits",
    "origins",
    "trust",
    "payments",
    "discount_codes",
    "locale",
    *PROGRAM_FIELDS,
)


def parse_programs(document: Any) -> Catalogue:
    """Validate a whole config document (`{"programs": [...]}`); raise ConfigError listing
    every problem found."""
    reader = FieldReader()
    if document is not None and not isinstance(document, Mapping):
        reader.fail(
            "the file", f"must hold `programs:` with a list of programs, not {kind_of(document)}"
        )
        reader.raise_if_any()
    top = reader.mapping(document, "the file")
    reader.only_known(top, ("programs", "site_url", "api_url", "link_domain"), "the file")
    if len(reader.host_list(top, "link_domain", "the file")) > 1:
        reader.fail("the file.link_domain", "must be one host name, e.g. go.shop.example")
    raw_programs = top.get("programs")
    if not isinstance(raw_programs, list) or not raw_programs:
        reader.fail("programs", "must be a list with at least one program")
        raise ConfigError(reader.problems)
    programs: dict[str, Program] = {}
    for index, raw in enumerate(raw_programs):
        label = program_label(raw, index)
        program = _parse_program(reader, raw, label)
        if program is None:
            continue
        if program.id in programs:
            reader.fail(f"{label}.id", f"'{program.id}' is used by two programs")
        programs[program.id] = program
    reader.raise_if_any()
    return Catalogue(programs)


def program_label(raw: Any, index: int) -> str:
    """How problems name a program: by its id, or by its place when it has none."""
    if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
        return f"program '{raw['id']}'"
    return f"programs[{index}]"


def _parse_program(reader: FieldReader, raw: Any, path: str) -> Program | None:
    data = reader.mapping(raw, path)
    if not data:
        return None
    reader.only_known(data, _PROGRAM_FIELDS, path)
    program_id = reader.text(
        data,
        "id",
        path,
        max_len=32,
        pattern=PROGRAM_ID_RE,
        pattern_hint="must be 1-32 lower-case letters, digits or dashes",
    )
    name = reader.text(data, "name", path, max_len=80)
    landing_url = reader.url(data, "landing_url", path) or ""
    hosts = reader.host_list(data, "allowed_hosts", path) or (
        (url_host(landing_url),) if landing_url else ()
    )
    if landing_url and url_host(landing_url) not in hosts:
        reader.fail(
            f"{path}.landing_url",
            f"host '{url_host(landing_url)}' is not in allowed_hosts {list(hosts)}",
        )
    pages = _parse_landing_pages(reader, data, path, hosts)
    currency = reader.text(data, "currency", path, default="USD").upper()
    if currency not in CURRENCIES:
        reader.fail(f"{path}.currency", f"'{currency}' is not an ISO 4217 currency code")
    window = reader.integer(data, "attribution_window_days", path, default=30, low=1, high=365)
    share = reader.text(data, "share_message", path, default=DEFAULT_SHARE_MESSAGE, max_len=280)
    reader.placeholders(share, f"{path}.share_message", SHARE_FIELDS)
    secret = reader.optional_text(data, "identity_secret", path, max_len=200)
    if secret is not None and len(secret) < 16:
        reader.fail(f"{path}.identity_secret", "must be at least 16 characters long")
    rewards = reader.mapping(data.get("rewards"), f"{path}.rewards")
    reader.only_known(rewards, ("referrer", "friend", *POLICY_FIELDS), f"{path}.rewards")
    referrer = parse_reward(reader, rewards.get("referrer"), f"{path}.rewards.referrer", currency)
    friend = parse_reward(reader, rewards.get("friend"), f"{path}.rewards.friend", currency)
    locale = reader.text(
        data,
        "locale",
        path,
        default="en",
        max_len=35,
        pattern=LOCALE_RE,
        pattern_hint="is not a language tag like en, fr or fr-CA",
    )
    success_event = reader.text(data, "success_event", path, default="purchase")
    if success_event not in SUCCESS_EVENTS:
        reader.fail(f"{path}.success_event", f"'{success_event}' is not one of signup, purchase")
    incentives = parse_incentives(
        reader,
        data,
        path,
        currency=currency,
        success_event=success_event,
        side_rewards={"referrer": referrer, "friend": friend},
        locale=locale,
    )
    _require_a_way_to_sign_in(reader, path, secret, incentives)
    return Program(
        id=program_id,
        name=name,
        landing_url=landing_url,
        allowed_hosts=hosts,
        landing_pages=pages,
        currency=currency,
        attribution_window_days=window,
        share_message=share,
        identity_secret=secret,
        referrer_reward=referrer,
        friend_reward=friend,
        success_event=success_event,
        brand=parse_brand(reader, data.get("brand"), f"{path}.brand"),
        site=parse_site(reader, data.get("site"), f"{path}.site"),
        widget=parse_widget(reader, data.get("widget"), f"{path}.widget"),
        incentives=incentives,
        fraud=_parse_fraud(reader, data, path, secret),
        rate_limits=parse_rate_limits(reader, data.get("rate_limits"), f"{path}.rate_limits"),
        origins=_parse_origins(reader, data.get("origins"), f"{path}.origins"),
        trust=parse_trust(
            reader, data.get("trust"), f"{path}.trust", hold_days=incentives.hold_days
        ),
        payments=parse_payments(reader, data.get("payments"), f"{path}.payments"),
        discount_codes=parse_discount_codes(
            reader, data.get("discount_codes"), f"{path}.discount_codes"
        ),
        locale=locale,
    )


def _require_a_way_to_sign_in(
    reader: FieldReader, path: str, identity_secret: str | None, incentives: Incentives
) -> None:
    """Without identity_secret nobody vouches for a customer, so their private stats link can
    only reach them by email: such a program must be able to send one."""
    if identity_secret is None and incentives.emails is None:
        reader.fail(
            f"{path}.emails",
            "is required when identity_secret is not set: customers who join with just their "
            "email get their private stats link by email. Add emails: {from: 'Shop "
            "<rewards@shop.example>'} (an address your mail service may send from), or set "
            "identity_secret so that your server vouches for your customers (docs/security.md)",
        )


def _parse_fraud(
    reader: FieldReader, data: Mapping[str, Any], path: str, identity_secret: str | None
) -> FraudRules:
    rules = parse_fraud(reader, data.get("fraud"), f"{path}.fraud")
    if rules.signed_conversions and identity_secret is None:
        reader.fail(
            f"{path}.fraud.signed_conversions",
            "needs identity_secret: conversions are signed with it (see docs/fraud.md)",
        )
    return rules


def _parse_origins(reader: FieldReader, raw: Any, path: str) -> tuple[str, ...]:
    """Browser origins (scheme://host[:port]) allowed to call the API besides the program's
    allowed hosts, e.g. a shop on another domain."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.fail(path, "must be a list of origins, e.g. [https://shop.example.com]")
        return ()
    origins: list[str] = []
    for index, item in enumerate(raw):
        origin = item.strip().rstrip("/").lower() if isinstance(item, str) else ""
        if not ORIGIN_RE.fullmatch(origin) or url_problem(origin):
            reader.fail(f"{path}[{index}]", f"'{item}' is not an origin like https://shop.example")
            continue
        origins.append(origin)
    return tuple(origins)


def _parse_landing_pages(
    reader: FieldReader, data: Mapping[str, Any], path: str, hosts: tuple[str, ...]
) -> dict[str, str]:
    raw = reader.mapping(data.get("landing_pages"), f"{path}.landing_pages")
    pages: dict[str, str] = {}
    for name in raw:
        where = f"{path}.landing_pages"
        if not PAGE_NAME_RE.fullmatch(str(name)):
            reader.fail(f"{where}.{name}", "page names are 1-32 lower-case letters, digits, - or _")
            continue
        url = reader.url(raw, name, where)
        if url and url_host(url) not in hosts:
            reader.fail(f"{where}.{name}", f"host '{url_host(url)}' is not in allowed_hosts")
            continue
        if url:
            pages[str(name)] = url
    return pages


DEMO_CONFIG: dict[str, Any] = {
    "programs": [
        {
            "id": "demo",
            "name": "Demo Coffee Club",
            "landing_url": "http://localhost:8001/shop/",
            "allowed_hosts": ["localhost", "127.0.0.1"],
            "currency": "USD",
            "share_message": (
                "I get my beans at {program}. Use my link and get {friend_reward}: {link}"
            ),
            "rewards": {
                "referrer": {"text": "$10 store credit", "kind": "credit", "amount": 10},
                "friend": {
                    "text": "15% off your first order",
                    "kind": "percent",
                    "percent": 15,
                    "first_purchase_only": True,
                },
            },
            "emails": {"from": "Demo Coffee Club <rewards@demo.example>"},
        }
    ]
}
