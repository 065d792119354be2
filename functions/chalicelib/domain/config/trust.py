"""What a program lets the browser paths do (`trust:` in referbee.yaml), and the warnings that
say in words what a program's opt-outs allow (`referbee config check`, `referbee dev`,
`referbee deploy`). docs/security.md explains the conversion paths."""

from __future__ import annotations

from typing import Any

from ...model.fraud import (
    BROWSER_AFTER_HOLD,
    BROWSER_CONVERSIONS,
    BROWSER_REFERRALS,
    BROWSER_TRUSTED,
    REFERRALS_BY_REF,
    TrustRules,
)
from ...model.program import Catalogue, Program
from .fields import FieldReader

TRUST_FIELDS = ("browser_conversions", "browser_referrals")


def parse_trust(reader: FieldReader, raw: Any, path: str, *, hold_days: int) -> TrustRules:
    data = reader.mapping(raw, path)
    reader.only_known(data, TRUST_FIELDS, path)
    defaults = TrustRules()
    conversions = reader.text(
        data, "browser_conversions", path, default=defaults.browser_conversions
    )
    if conversions not in BROWSER_CONVERSIONS:
        reader.fail(
            f"{path}.browser_conversions",
            f"'{conversions}' is not one of {', '.join(BROWSER_CONVERSIONS)}",
        )
    elif conversions == BROWSER_AFTER_HOLD and hold_days < 1:
        reader.fail(
            f"{path}.browser_conversions",
            "approve_after_hold needs rewards.hold_days of 1 or more (the time a refund can "
            "still arrive)",
        )
    referrals = reader.text(data, "browser_referrals", path, default=defaults.browser_referrals)
    if referrals not in BROWSER_REFERRALS:
        reader.fail(
            f"{path}.browser_referrals",
            f"'{referrals}' is not one of {', '.join(BROWSER_REFERRALS)}",
        )
    return TrustRules(browser_conversions=conversions, browser_referrals=referrals)


def config_warnings(catalogue: Catalogue) -> list[str]:
    """What each program's settings let a stranger do, in words: one line per opt-out of a
    safe default (no line for a program that keeps them)."""
    found: list[str] = []
    for program in catalogue.programs.values():
        found += [f"program '{program.id}': {line}" for line in program_warnings(program)]
    return found


def program_warnings(program: Program) -> list[str]:
    trust, fraud = program.trust, program.fraud
    lines: list[str] = []
    if trust.browser_conversions == BROWSER_TRUSTED:
        lines.append(
            "trust.browser_conversions is 'trusted': anyone who sees a referral link can "
            "report purchases from a browser and mint approved rewards for it, without any "
            "order existing."
        )
    elif trust.browser_conversions == BROWSER_AFTER_HOLD:
        lines.append(
            "trust.browser_conversions is 'approve_after_hold': a purchase reported from a "
            f"browser earns approved rewards after {program.incentives.hold_days} day(s) "
            "even if no order exists; only a refund you report stops it."
        )
    if trust.browser_referrals == REFERRALS_BY_REF:
        lines.append(
            "trust.browser_referrals is 'ref': a browser conversion may name any referral "
            "code without a click on its link, so anyone who knows a code can credit it."
        )
    if fraud.velocity is None:
        lines.append(
            "fraud.velocity is off: a flood of conversions for one code or from one client "
            "is counted and rewarded instead of held for review."
        )
    return lines
