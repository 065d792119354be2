"""Confirming a browser's claim in memory, under the state's lock: the DynamoDB twin's
conditions checked first (the claim still unconfirmed, its new codes, the effects and reward
moves), then the claim replaced, its counters moved by the difference and the referral moved
when its referrer changes. Used by conversions."""

from __future__ import annotations

from ...model.ledger import ConversionEffects, EffectsRejectedError, RewardChange
from ...model.records import Conversion
from .. import rules
from .effects import apply_changes, apply_effects, check_changes
from .recording import check_conversion, count, move_referrals
from .shared import State, order_of


def confirm(
    state: State,
    claim: Conversion,
    confirmed: Conversion,
    effects: ConversionEffects,
    changes: list[RewardChange],
) -> tuple[Conversion, bool]:
    order = order_of(claim)
    stored = state.orders.get(order)
    if stored is None or not stored.unverified or stored.status != claim.status:
        return stored or claim, False
    rejection = check_conversion(state, confirmed, effects)
    moved = check_changes(state, changes)
    if moved is not None:
        rejection.rewards_taken |= moved.rewards_taken
        rejection.coupons_taken |= moved.coupons_taken
    if rejection or moved is not None:
        raise EffectsRejectedError(rejection)
    state.orders[order] = confirmed
    count(state, claim, -1)
    count(state, confirmed, 1)
    kept = (
        rules.adds_a_referral(claim)
        and rules.adds_a_referral(confirmed)
        and claim.code == confirmed.code
    )
    if not kept:
        for conversion, by in ((claim, -1), (confirmed, 1)):
            if rules.adds_a_referral(conversion):
                move_referrals(state, conversion.code, by)
    apply_effects(state, confirmed.program, effects)
    apply_changes(state, changes, ())
    if confirmed.identity:
        state.people[(confirmed.program, confirmed.identity)].add(
            (confirmed.event, confirmed.order_id)
        )
    return confirmed, True
