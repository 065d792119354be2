"""Writing a conversion in memory, under the state's lock: every condition checked first
(its codes, the tier guard, its effects), then everything written at once, as the DynamoDB
twin's transaction does. Used by conversions (record, refund) and reviews (approve)."""

from __future__ import annotations

from dataclasses import replace

from ...model.ledger import ConversionEffects, Rejection
from ...model.records import Conversion, credits_of
from .. import keys, rules
from .effects import apply_effects, check_effects
from .shared import State, add, order_of


def check_conversion(
    state: State, conversion: Conversion, effects: ConversionEffects | None
) -> Rejection:
    """What would refuse this conversion: a credited code of another program (or none), the
    primary referrer's count against the tier guard, a failed condition of its effects."""
    rejection = Rejection()
    for credit in credits_of(conversion):
        referrer = state.referrers.get(credit.code)
        if referrer is None or referrer.program != conversion.program:
            rejection.foreign_codes.add(credit.code)
    guard = effects.count_guard if effects else None
    if (
        rules.adds_a_referral(conversion)
        and guard
        and conversion.code not in rejection.foreign_codes
    ):
        count = state.referrers[conversion.code].successful_referrals
        if count in guard.avoid or guard.expected not in (None, count):
            rejection.count = count
    if effects is not None:
        check_effects(state, conversion, effects, rejection)
    return rejection


def commit(state: State, conversion: Conversion, effects: ConversionEffects | None) -> None:
    """Store a checked conversion, count it, and apply its effects."""
    state.orders[order_of(conversion)] = conversion
    count(state, conversion, 1)
    if rules.adds_a_referral(conversion):
        move_referrals(state, conversion.code, 1)
    if effects is not None:
        apply_effects(state, conversion.program, effects)
    if conversion.identity:
        line = (conversion.event, conversion.order_id)
        state.people[(conversion.program, conversion.identity)].add(line)


def count(state: State, conversion: Conversion, sign: int) -> None:
    """Add a conversion to (or, `sign` -1, take it out of) its credited codes' counters."""
    month, _ = rules.month_and_day(conversion.created_at)
    for credit in credits_of(conversion):
        values = state.counters[(credit.code, keys.conversions_sk(month))]
        add(values, rules.conversion_counters(conversion, credit, sign))


def release(state: State, decided: Conversion) -> None:
    """Take a decided conversion out of its codes' held counters."""
    month, _ = rules.month_and_day(decided.created_at)
    for code, adds in rules.release_counters(decided).items():
        add(state.counters[(code, keys.conversions_sk(month))], adds)


def move_referrals(state: State, code: str, by: int) -> None:
    referrer = state.referrers[code]
    state.referrers[code] = replace(
        referrer, successful_referrals=referrer.successful_referrals + by
    )
