"""Coupon pools: codes the marketer uploads (`referbee coupons add`), each handed out at most
once. Adding skips any code the pool has ever held, and drawing deletes the free code in the
same transaction that issues the reward, so no code can go to two rewards."""

from __future__ import annotations

import re
from typing import Any

from ...model.errors import InvalidInputError
from ...model.ledger import COUPON_POOL_EMPTY
from ...model.program import Program
from ...model.statuses import PENDING
from ..config.incentives import POOL_RE
from ..context import Context

MAX_CODES_PER_CALL = 500
_COUPON_RE = re.compile(r"[\x21-\x7e]{1,64}")


def coupon_pools(program: Program) -> list[str]:
    """The pools the program's coupon rewards draw from, in config order."""
    pools = [rule.pool for rule in program.incentives.rules if rule.reward.kind == "coupon"]
    pools += [tier.pool for tier in program.incentives.tiers if tier.reward.kind == "coupon"]
    return list(dict.fromkeys(pools))


def add_coupons(ctx: Context, program: Program, pool: Any, codes: Any) -> dict[str, Any]:
    pool = _pool(program, pool)
    if not isinstance(codes, list) or not codes:
        raise InvalidInputError("'codes' must be a non-empty list of coupon codes.")
    if len(codes) > MAX_CODES_PER_CALL:
        raise InvalidInputError(f"Send at most {MAX_CODES_PER_CALL} codes per call.")
    for index, code in enumerate(codes):
        if not isinstance(code, str) or not _COUPON_RE.fullmatch(code):
            raise InvalidInputError(
                f"codes[{index}] must be 1-64 printable characters without spaces."
            )
    added = ctx.store.coupons.add_coupons(program.id, pool, codes)
    counts = ctx.store.coupons.pool_counts(program.id, pool)
    return {
        "pool": pool,
        "added": added,
        "skipped": len(codes) - added,
        "available": counts.available,
    }


def pool_status(ctx: Context, program: Program) -> list[dict[str, Any]]:
    """Each pool's free and used codes, and the rewards waiting because it ran empty."""
    waiting: dict[str, int] = {}
    for reward in ctx.store.rewards.list_rewards(program.id, PENDING, limit=1000):
        if reward.reason == COUPON_POOL_EMPTY:
            waiting[reward.pool] = waiting.get(reward.pool, 0) + 1
    status = []
    for pool in coupon_pools(program):
        counts = ctx.store.coupons.pool_counts(program.id, pool)
        status.append(
            {
                "pool": pool,
                "available": counts.available,
                "used": counts.used,
                "waiting": waiting.get(pool, 0),
            }
        )
    return status


def _pool(program: Program, raw: Any) -> str:
    pool = "default" if raw in (None, "") else raw
    if not isinstance(pool, str) or not POOL_RE.fullmatch(pool):
        raise InvalidInputError("'pool' must be 1-32 lower-case letters, digits, - or _.")
    known = coupon_pools(program)
    if pool not in known:
        where = f"its pools are: {', '.join(known)}" if known else "it has no coupon rewards"
        raise InvalidInputError(
            f"Program '{program.id}' has no coupon reward drawing from pool '{pool}' ({where})."
        )
    return pool
