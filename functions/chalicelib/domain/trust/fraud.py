"""Fraud rules, applied where a conversion is attributed (domain/conversions/flow.py).

A flagged conversion is recorded with status `review` and the reasons of every rule that
flagged it: counted apart, no reward, not a successful referral, until a person approves it
(domain/conversions/review.py). Rules cost no extra request in the common path:

- rules that need no data (disposable email domain, bot user agent) run before the write;
- self-referral is a condition on the primary referrer's item, already part of the
  conversion's transaction; the item comes back when it fails;
- duplicate identity and velocity are counter items in the same transaction (`Tally`),
  conditional on their limit: the one that fails names its rule;
- "no prior click" reads the visitor's touchpoints (one query) only when the rule is on and
  the conversion's own click id does not already prove the visitor clicked.

Signed conversions are not a review rule: a pixel or beacon without a valid signature is
refused outright (signed_conversions.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ...model.fraud import DisposableEmail
from ...model.ledger import IdentityGuard, Rejection, Tally, Touch
from ...model.program import Program
from .bots import is_bot
from .lookalikes import email_domain

BROWSER_SOURCES = ("pixel", "beacon")  # what any visitor can send; api and webhooks are trusted
_RULE_REASONS = {
    "velocity_referrer": "velocity:referrer_per_hour",
    "velocity_visitor": "velocity:visitor_per_day",
}


@dataclass(frozen=True)
class Converter:
    """Who is converting, as far as the request tells (all hashed but the user agent, which is
    only looked at, never stored)."""

    source: str  # pixel or beacon (a browser); api, stripe or shopify (trusted)
    visitor: str = ""
    identity: str = ""  # the customer's canonical email key
    customer: str = ""  # the customer key of first-purchase rules
    user_agent: str = ""
    email: str = ""  # the customer's email as sent: only its domain is looked at

    @property
    def browser(self) -> bool:
        return self.source in BROWSER_SOURCES


def screen(
    program: Program, who: Converter, code: str, clicked: bool, touches: Iterable[Touch], now: float
) -> list[str]:
    """Reasons to hold a conversion for review that need no database (and the touchpoints
    already read); [] when none."""
    rules = program.fraud
    flags: list[str] = []
    if rules.disposable_email is not None and who.email:
        domain = email_domain(who.email)
        if is_disposable(domain, rules.disposable_email):
            flags.append(f"disposable_email:{domain}")
    if rules.bots and who.browser and who.user_agent.strip() and is_bot(who.user_agent):
        flags.append("bot")
    if rules.require_click and who.browser and not clicked:
        window = program.attribution_window_days * 86400
        if not any(t.code == code and now - window <= t.at <= now for t in touches):
            flags.append("no_prior_click")
    return flags


def needs_touchpoints(program: Program, who: Converter, clicked: bool) -> bool:
    return program.fraud.require_click and who.browser and not clicked and bool(who.visitor)


def identity_guard(program: Program, who: Converter) -> IdentityGuard | None:
    if not program.fraud.self_referral or not (who.identity or who.visitor):
        return None
    return IdentityGuard(identity=who.identity, visitor=who.visitor)


def tallies(
    program: Program, who: Converter, code: str, event: str, now: float, *, flagged: bool
) -> tuple[Tally, ...]:
    """The counters of the duplicate-identity and velocity rules for one conversion. Once a
    conversion is flagged its tallies only count (no limit), so a flood keeps being seen."""
    found: list[Tally] = []
    duplicates = program.fraud.duplicate_identity
    if duplicates is not None:
        expires = int(now) + duplicates.days * 86400
        for kind, subject in (
            ("visitor", who.visitor),
            ("email", who.identity),
            ("customer", who.customer),
        ):
            if subject:
                rule = f"duplicate_{kind}_{event}"
                found.append(
                    Tally(program.id, rule, subject, "all", duplicates.max_per_identity, expires)
                )
    velocity = program.fraud.velocity
    if velocity is not None:
        hour, day = _window(now, 3600), _window(now, 86400)
        if velocity.per_referrer_per_hour:
            found.append(
                Tally(
                    program.id,
                    "velocity_referrer",
                    code,
                    hour,
                    velocity.per_referrer_per_hour,
                    int(now) + 7200,
                )
            )
        if velocity.per_visitor_per_day and who.visitor:
            found.append(
                Tally(
                    program.id,
                    "velocity_visitor",
                    who.visitor,
                    day,
                    velocity.per_visitor_per_day,
                    int(now) + 2 * 86400,
                )
            )
    if flagged:
        found = [Tally(t.program, t.rule, t.subject, t.window, None, t.expires_at) for t in found]
    return tuple(found)


def flags_from(rejection: Rejection, guard: IdentityGuard | None) -> list[str]:
    """The review reasons a refused transaction revealed: a self-referral (the referrer's
    item came back with the converting customer's identity) or a tally at its limit."""
    flags: list[str] = []
    if guard is not None and rejection.primary_identity is not None:
        identity, visitor = rejection.primary_identity
        if guard.identity and identity == guard.identity:
            flags.append("self_referral:email")
        if guard.visitor and visitor == guard.visitor:
            flags.append("self_referral:visitor")
    for rule in sorted(rejection.tallies_over):
        if rule.startswith("duplicate_"):
            flags.append(f"duplicate_identity:{rule.split('_')[1]}")
        elif rule in _RULE_REASONS:
            flags.append(_RULE_REASONS[rule])
    return flags


def is_disposable(domain: str, rule: DisposableEmail) -> bool:
    """The domain or any parent of it is on the list (`block` adds, `allow` removes)."""
    from disposable_email_domains import blocklist

    parts = domain.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in rule.allow:
            return False
        if candidate in rule.block or candidate in blocklist:
            return True
    return False


def _window(now: float, seconds: int) -> str:
    return f"{seconds}:{int(now) // seconds}"
