"""Checking and applying what a conversion brings with it (rewards, coupon claims, limit,
first-purchase and customer counts, rule tallies and the identity guard, outbox messages) and
reward moves, under the state's lock: the conditions the DynamoDB twin writes into its
transactions, tested here before anything is written. Used by conversions (record, refund),
reviews (approve) and rewards (change)."""

from __future__ import annotations

from dataclasses import replace

from ...model.ledger import (
    NEW_REWARD,
    ConversionEffects,
    CouponClaim,
    OutboxMessage,
    Rejection,
    RewardChange,
)
from ...model.records import Conversion, CustomerProfile
from .shared import State, tally_key


def check_effects(
    state: State, conversion: Conversion, effects: ConversionEffects, rejection: Rejection
) -> None:
    """Note in `rejection` every condition of the effects that fails."""
    for reward in effects.rewards:
        if (reward.code, reward.reward_id) in state.rewards:
            rejection.rewards_taken.add(reward.reward_id)
    for claim in effects.coupons:
        if claim.coupon not in state.free[(claim.program, claim.pool)]:
            rejection.coupons_taken.add(claim.coupon)
    limit = effects.limit
    if limit is not None:
        counts = state.limits[limit.code]
        total, month = counts.get("total", 0), counts.get(limit.month, 0)
        if (limit.per_referrer is not None and total >= limit.per_referrer) or (
            limit.per_month is not None and month >= limit.per_month
        ):
            rejection.limit_reached = True
    program = conversion.program
    if effects.first_purchase and (program, effects.first_purchase) in state.first_purchases:
        rejection.not_first_purchase = True
    bump = effects.customer
    if bump is not None:
        profile = state.profiles.get((program, bump.customer))
        if (profile.purchases if profile else 0) != bump.before:
            rejection.customer_moved = True
            if profile is not None:
                rejection.customer = (profile.code, profile.first_at, profile.purchases)
    for tally in effects.tallies:
        if tally.limit is not None and state.tallies[tally_key(tally)] >= tally.limit:
            rejection.tallies_over.add(tally.rule)
    _check_identity(state, conversion, effects, rejection)


def apply_effects(state: State, program: str, effects: ConversionEffects) -> None:
    for reward in effects.rewards:
        state.rewards[(reward.code, reward.reward_id)] = reward
    for claim in effects.coupons:
        _claim(state, claim)
    if effects.limit is not None:
        counts = state.limits[effects.limit.code]
        counts["total"] = counts.get("total", 0) + 1
        counts[effects.limit.month] = counts.get(effects.limit.month, 0) + 1
    if effects.first_purchase:
        state.first_purchases.add((program, effects.first_purchase))
    bump = effects.customer
    if bump is not None:
        known = state.profiles.get((program, bump.customer))
        state.profiles[(program, bump.customer)] = (
            replace(known, purchases=known.purchases + 1)
            if known
            else CustomerProfile(program, bump.customer, bump.code, bump.first_at, 1)
        )
    for tally in effects.tallies:
        state.tallies[tally_key(tally)] += 1
    enqueue(state, effects.messages)


def check_changes(state: State, changes: list[RewardChange]) -> Rejection | None:
    """The rewards (and coupons) of these moves that are not where the moves assume."""
    rejection, refused = Rejection(), False
    for change in changes:
        stored = state.rewards.get((change.reward.code, change.reward.reward_id))
        found = NEW_REWARD if stored is None else stored.status
        if found != change.before:
            rejection.rewards_taken.add(change.reward.reward_id)
            refused = True
        claim = change.coupon
        if claim is not None and claim.coupon not in state.free[(claim.program, claim.pool)]:
            rejection.coupons_taken.add(claim.coupon)
            refused = True
    return rejection if refused else None


def apply_changes(
    state: State, changes: list[RewardChange], messages: tuple[OutboxMessage, ...]
) -> None:
    for change in changes:
        state.rewards[(change.reward.code, change.reward.reward_id)] = change.reward
        if change.coupon is not None:
            _claim(state, change.coupon)
    enqueue(state, messages)


def enqueue(state: State, messages: tuple[OutboxMessage, ...]) -> None:
    for message in messages:
        state.outbox[(message.event_id, message.target)] = message


def _check_identity(
    state: State, conversion: Conversion, effects: ConversionEffects, rejection: Rejection
) -> None:
    """The primary referrer must not be the converting customer (self-referral)."""
    guard = effects.identity_guard
    referrer = state.referrers.get(conversion.code)
    if guard is None or referrer is None or referrer.program != conversion.program:
        return
    if (guard.identity and referrer.identity == guard.identity) or (
        guard.visitor and referrer.visitor == guard.visitor
    ):
        rejection.primary_identity = (referrer.identity, referrer.visitor)
        rejection.count = referrer.successful_referrals


def _claim(state: State, claim: CouponClaim) -> None:
    state.free[(claim.program, claim.pool)].discard(claim.coupon)
    state.used[(claim.program, claim.pool)][claim.coupon] = claim.reward_id
