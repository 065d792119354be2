"""What a conversion brings with it: the rewards its rules give, a tier bonus when it makes the
referrer reach a tier, coupons drawn from the pool, and the events announcing all of it.

Everything is written in the conversion's own transaction, under conditions (see
model.ledger.ConversionEffects), so a conversion and its rewards exist together or not at
all, and retries, however concurrent, issue each reward once. A condition that fails tells the
plan what it did not know (the referrer's real count, a coupon someone else took, a limit
reached, a customer who bought before); the plan is rebuilt and written again.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ...model.clock import utc_day
from ...model.incentives import RewardRule, Tier
from ...model.ledger import (
    ConversionEffects,
    CountGuard,
    CouponClaim,
    LimitBump,
    OutboxMessage,
    Rejection,
    RewardRecord,
)
from ...model.program import Program
from ...model.records import Conversion, CustomerProfile
from ...model.statuses import APPROVED
from ..context import Context
from .events import reward_messages, tier_messages, webhook_messages
from .grants import awaiting_confirmation, held, rule_reward, tier_reward, with_coupon
from .recurring import recurring_reward

_CANDIDATES = 10  # free coupons read per draw; concurrent draws pick among them at random


class ConversionPlan:
    def __init__(
        self,
        ctx: Context,
        program: Program,
        *,
        customer_key: str,
        view: Callable[[Conversion], dict[str, Any]],
    ) -> None:
        self.ctx = ctx
        self.program = program
        self.customer_key = customer_key
        self.view = view
        self.count: int | None = None  # the primary referrer's count, once the store told us
        self.tiers_issued: set[int] = set()
        self.limit_reached = False
        self.not_first_purchase = False
        # The customer as they were before this purchase, when they bought before (a repeat
        # purchase earns only the recurring rule), and whether their subscription has ended.
        self.repeat: CustomerProfile | None = None
        self.recurring_stopped = False
        self.taken: set[str] = set()
        self._candidates: dict[str, list[str]] = {}
        self._tier_of: dict[str, int] = {}

    def build(
        self, conversion: Conversion, now: float | None = None, *, counted: bool = False
    ) -> tuple[Conversion, ConversionEffects]:
        """The rewards and effects of `conversion`, issued at `now` (default: when it was
        created; an approval after review issues them when it approves). `counted`: the
        referral is already in the referrer's count (a confirmed claim), so no tier is crossed.
        An unverified conversion's rewards wait for confirmation."""
        now = conversion.created_at if now is None else now
        issue = self._awaiting if conversion.unverified else self._drawn
        rewards: list[RewardRecord] = []
        notes: list[str] = []
        for reward, blocked in self._earned(conversion, now):
            if reward is None:
                notes.append(blocked)
            else:
                rewards.append(issue(reward, rewards))
        guard, tier = (None, None) if counted else self._tier_guard(conversion)
        messages: tuple[OutboxMessage, ...] = ()
        if tier is not None:
            bonus = issue(tier_reward(self.program, tier, conversion.code, now), rewards)
            self._tier_of[bonus.reward_id] = tier.at
            rewards.append(bonus)
            if not conversion.unverified:  # announced when a trusted report confirms it
                messages += tier_messages(self.program, tier, conversion.code, bonus, now)
        conversion = replace(conversion, rewards=tuple(rewards), notes=tuple(notes))
        created = webhook_messages(
            self.program,
            "conversion.created",
            (conversion.event, conversion.order_id),
            self.view(conversion),
            now,
        )
        for reward in rewards:
            messages += reward_messages(self.program, reward, now, issued=True, email=True)
        effects = ConversionEffects(
            rewards=tuple(rewards),
            coupons=tuple(
                CouponClaim(self.program.id, r.pool, r.coupon, r.reward_id)
                for r in rewards
                if r.kind == "coupon" and r.coupon
            ),
            limit=self._limit(conversion, rewards),
            first_purchase=self._first_purchase(conversion),
            count_guard=guard,
            messages=created + messages,
        )
        return conversion, effects

    def confirmed(self, reward: RewardRecord, now: float) -> RewardRecord:
        """A reward that waited for confirmation, as a trusted report issues it at `now`:
        approved, or held through the hold period; a coupon reward draws its code."""
        issued = replace(reward, status=APPROVED, reason="", approve_at=now, updated_at=now)
        return self._drawn(held(self.program, issued, now), [])

    def learn(self, rejection: Rejection) -> None:
        if rejection.count is not None:
            self.count = rejection.count
        self.tiers_issued |= {
            self._tier_of[rid] for rid in rejection.rewards_taken if rid in self._tier_of
        }
        self.limit_reached |= rejection.limit_reached
        self.not_first_purchase |= rejection.not_first_purchase
        self.taken |= rejection.coupons_taken

    def _earned(self, conversion: Conversion, now: float) -> list[tuple[RewardRecord | None, str]]:
        """Each reward the conversion's rules give, or None and why a rule gives nothing. A
        repeat purchase of a referred customer earns the recurring rule's reward only."""
        found: list[tuple[RewardRecord | None, str]] = []
        if self.repeat is not None and conversion.event == "purchase":
            for rule in self.program.incentives.rules:
                if rule.event == "purchase" and rule.first_purchase_only:
                    found.append((None, f"{rule.side}:not_first_purchase"))
            if self.program.incentives.recurring is not None:
                found.append(
                    recurring_reward(
                        self.program, self.repeat, conversion, now, stopped=self.recurring_stopped
                    )
                )
            return found
        for rule in self.program.incentives.rules:
            if rule.event != conversion.event:
                continue
            blocked = self._blocked(rule, conversion)
            if blocked:
                found.append((None, f"{rule.side}:{blocked}"))
            else:
                found.append((rule_reward(self.program, rule, conversion, now), ""))
        return found

    def _blocked(self, rule: RewardRule, conversion: Conversion) -> str:
        """Why a rule gives nothing for this conversion ('' when it gives its reward)."""
        if rule.min_amount is not None and (
            conversion.currency != self.program.currency or conversion.amount < rule.min_amount
        ):
            return "below_min_amount"
        if rule.first_purchase_only and self.not_first_purchase:
            return "not_first_purchase"
        if rule.side == "referrer" and self.limit_reached:
            return "limit_reached"
        return ""

    def _tier_guard(self, conversion: Conversion) -> tuple[CountGuard | None, Tier | None]:
        """The count condition for the primary referrer, and the tier this conversion makes
        them reach (once we know their count)."""
        tiers = self.program.incentives.tiers
        if not conversion.successful or not tiers:
            return None, None
        avoid = CountGuard(avoid=tuple(tier.at - 1 for tier in tiers))
        if self.count is None:
            return avoid, None
        tier = self.program.incentives.tier_at(self.count + 1)
        if tier is None:
            return avoid, None
        issue = tier if tier.at not in self.tiers_issued else None
        return CountGuard(expected=self.count), issue

    def _awaiting(self, reward: RewardRecord, _: list[RewardRecord]) -> RewardRecord:
        return awaiting_confirmation(self.program, reward)

    def _drawn(self, reward: RewardRecord, others: list[RewardRecord]) -> RewardRecord:
        if reward.kind != "coupon":
            return reward
        in_use = {r.coupon for r in others}
        return with_coupon(reward, self._draw(reward.pool, in_use))

    def _draw(self, pool: str, in_use: set[str]) -> str | None:
        for _ in range(2):
            if pool not in self._candidates:
                self._candidates[pool] = self.ctx.store.coupons.free_coupons(
                    self.program.id, pool, _CANDIDATES
                )
            candidates = self._candidates[pool]
            free = [c for c in candidates if c not in self.taken and c not in in_use]
            if free:
                return random.choice(free)
            if len(candidates) < _CANDIDATES:
                return None  # the pool is empty
            del self._candidates[pool]  # all taken by others: read the pool again
        return None

    def _limit(self, conversion: Conversion, rewards: list[RewardRecord]) -> LimitBump | None:
        limits = self.program.incentives.limits
        if not limits.any or not any(r.side == "referrer" for r in rewards):
            return None
        month = _month(conversion.created_at)
        return LimitBump(conversion.code, month, limits.per_referrer, limits.per_month)

    def _first_purchase(self, conversion: Conversion) -> str:
        wanted = any(
            rule.first_purchase_only and rule.event == conversion.event
            for rule in self.program.incentives.rules
        )
        if not wanted or self.not_first_purchase or self.repeat is not None:
            return ""
        return self.customer_key


def _month(at: float) -> str:
    return utc_day(at)[:7]
