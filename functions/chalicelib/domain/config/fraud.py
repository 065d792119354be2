"""A program's fraud rules (`fraud:` in referbee.yaml) and rate limits (`rate_limits:`), each
rule switchable (`false` turns it off, `true` keeps its defaults) and tunable, validated with
the program's FieldReader. docs/fraud.md explains each rule."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...model.fraud import DisposableEmail, DuplicateIdentity, FraudRules, RateLimits, Velocity
from .fields import FieldReader

RULES = (
    "self_referral",
    "duplicate_identity",
    "velocity",
    "disposable_email",
    "bots",
    "require_click",
    "signed_conversions",
)
RATE_ROUTES = ("issue", "convert", "api", "stats", "signin_email", "signin_client", "join_email")
_DOMAIN_RE = re.compile(
    r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+"
)


def parse_fraud(reader: FieldReader, raw: Any, path: str) -> FraudRules:
    data = reader.mapping(raw, path)
    reader.only_known(data, RULES, path)
    defaults = FraudRules()
    return FraudRules(
        self_referral=reader.boolean(data, "self_referral", path, default=True),
        duplicate_identity=_duplicates(reader, data.get("duplicate_identity"), path),
        velocity=_velocity(reader, data.get("velocity", True), path),
        disposable_email=_disposable(reader, data.get("disposable_email", True), path),
        bots=reader.boolean(data, "bots", path, default=defaults.bots),
        require_click=reader.boolean(data, "require_click", path, default=False),
        signed_conversions=reader.boolean(data, "signed_conversions", path, default=False),
    )


def parse_rate_limits(reader: FieldReader, raw: Any, path: str) -> RateLimits:
    data = reader.mapping(raw, path)
    reader.only_known(data, RATE_ROUTES, path)
    defaults = RateLimits()
    values = {
        route: reader.integer(data, route, path, default=defaults.limit(route), low=1, high=100_000)
        for route in RATE_ROUTES
    }
    return RateLimits(**values)


def _switch(
    reader: FieldReader, raw: Any, path: str, known: tuple[str, ...]
) -> Mapping[str, Any] | None:
    """`false`/absent: off (None); `true`: on with defaults ({}); a mapping of `known`
    settings: on, tuned."""
    if raw is None or raw is False:
        return None
    if raw is True:
        return {}
    if not isinstance(raw, Mapping):
        reader.fail(path, "must be true, false or a mapping of settings")
        return None
    reader.only_known(raw, known, path)
    return raw


def _duplicates(reader: FieldReader, raw: Any, path: str) -> DuplicateIdentity | None:
    where = f"{path}.duplicate_identity"
    data = _switch(reader, raw, where, ("max_per_identity", "days"))
    if data is None:
        return None
    return DuplicateIdentity(
        max_per_identity=reader.integer(
            data, "max_per_identity", where, default=1, low=1, high=1000
        ),
        days=reader.integer(data, "days", where, default=30, low=1, high=365),
    )


def _velocity(reader: FieldReader, raw: Any, path: str) -> Velocity | None:
    where = f"{path}.velocity"
    names = ("per_referrer_per_hour", "per_visitor_per_day")
    data = _switch(reader, raw, where, names)
    if data is None:
        return None
    defaults = Velocity()
    values = [
        reader.integer(data, name, where, default=getattr(defaults, name), low=1, high=100_000)
        for name in names
    ]
    return Velocity(per_referrer_per_hour=values[0], per_visitor_per_day=values[1])


def _disposable(reader: FieldReader, raw: Any, path: str) -> DisposableEmail | None:
    where = f"{path}.disposable_email"
    data = _switch(reader, raw, where, ("block", "allow"))
    if data is None:
        return None
    return DisposableEmail(
        block=_domains(reader, data.get("block"), f"{where}.block"),
        allow=_domains(reader, data.get("allow"), f"{where}.allow"),
    )


def _domains(reader: FieldReader, raw: Any, path: str) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        reader.fail(path, "must be a list of email domains, e.g. [mailinator.com]")
        return frozenset()
    found: set[str] = set()
    for index, item in enumerate(raw):
        domain = item.strip().lower() if isinstance(item, str) else ""
        if not _DOMAIN_RE.fullmatch(domain):
            reader.fail(f"{path}[{index}]", f"'{item}' is not an email domain")
            continue
        found.add(domain)
    return frozenset(found)
