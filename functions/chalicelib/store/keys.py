"""Every DynamoDB key referbee writes is built here, and nowhere else.

One table, generic key names (PK, SK, GSI1PK, GSI1SK), `expires_at` as the TTL attribute.
docs/data-model.md lists the entities and access patterns that these keys serve.
"""

from __future__ import annotations

META = "META"


def code_pk(code: str) -> str:
    """Everything about one referral code: its referrer (META) and its counters by month."""
    return f"CODE#{code}"


def clicks_sk(month: str, shard: int = 0) -> str:
    """Click counters of one calendar month (YYYY-MM) of a code. A hot code's clicks are
    spread over shards 1..n as well (`CLICKS#2026-11#07`); readers sum them all."""
    return f"CLICKS#{month}#{shard:02d}" if shard else f"CLICKS#{month}"


def conversions_sk(month: str) -> str:
    """Signup/purchase/revenue counters of one calendar month of a code."""
    return f"CONV#{month}"


def email_pk(program: str, email_key: str) -> str:
    """Maps a referrer's (hashed) email in a program to their code."""
    return f"EMAIL#{program}#{email_key}"


def visit_pk(visitor: str) -> str:
    """A visitor's recent clicks, one item per code (expire by TTL)."""
    return f"VISIT#{visitor}"


def visit_sk(code: str) -> str:
    return f"CODE#{code}"


def order_pk(program: str, event: str, order_id: str) -> str:
    """One conversion, unique per program, event and order id (the idempotency key)."""
    return f"ORDER#{program}#{event}#{order_id}"


def key_pk(key_hash: str) -> str:
    """An admin API key, addressed by the SHA-256 of the key."""
    return f"KEY#{key_hash}"


def program_referrers_gsi(program: str) -> str:
    """GSI1 partition listing a program's referrers, newest last."""
    return f"PROG#{program}#REFS"


def program_board_gsi(program: str) -> str:
    """GSI2 partition ranking a program's referrers by successful referrals (GSI2 sort key
    is the number attribute `successful_referrals`)."""
    return f"PROG#{program}#BOARD"


def program_conversions_gsi(program: str) -> str:
    """GSI1 partition listing a program's conversions, newest last."""
    return f"PROG#{program}#CONV"


LIMITS = "LIMITS"
FIRST_PURCHASE = "FIRST_PURCHASE"
CUSTOMER_PROFILE = "PROFILE"
OUTBOX_DUE = "OUTBOX#DUE"


def reward_sk(reward_id: str) -> str:
    """A reward, under its referrer's code (so the stats query returns it)."""
    return f"REWARD#{reward_id}"


def program_rewards_gsi(program: str, status: str) -> str:
    """GSI1 partition of a program's rewards in one status; pending ones sort by the time
    their hold ends, the others by when they last changed."""
    return f"PROG#{program}#REWARDS#{status}"


def pool_pk(program: str, pool: str) -> str:
    """A coupon pool: `FREE#{coupon}` items wait to be drawn, `USED#{coupon}` were handed out."""
    return f"POOL#{program}#{pool}"


def free_coupon_sk(coupon: str) -> str:
    return f"FREE#{coupon}"


def used_coupon_sk(coupon: str) -> str:
    return f"USED#{coupon}"


def customer_pk(program: str, customer_key: str) -> str:
    """A referred customer (hashed id); FIRST_PURCHASE marks their first purchase."""
    return f"CUSTOMER#{program}#{customer_key}"


def outbox_pk(event_id: str) -> str:
    """An event's outgoing messages, one item per target (a webhook endpoint or email)."""
    return f"OUTBOX#{event_id}"


def outbox_sk(target: str) -> str:
    return f"TO#{target}"


def delivery_log_pk(program: str) -> str:
    """A program's delivery attempts, newest last (expire by TTL)."""
    return f"LOG#{program}"


KEYS_GSI = "KEYS"  # GSI1 partition listing every admin key (sort key: the key's hash)


def tally_pk(program: str, rule: str, subject: str) -> str:
    """Counts of one fraud rule or rate limit for one subject (expire by TTL)."""
    return f"TALLY#{program}#{rule}#{subject}"


def review_pk(program: str) -> str:
    """A program's review queue: one item per flagged conversion, sorted by status."""
    return f"REVIEW#{program}"


def review_sk(status: str, created: str, event: str, order_id: str) -> str:
    return f"{status}#{created}#{event}#{order_id}"


def person_pk(program: str, identity: str) -> str:
    """A customer's conversions by their (hashed) canonical email: export and forget."""
    return f"PERSON#{program}#{identity}"


def person_sk(event: str, order_id: str) -> str:
    return f"ORDER#{event}#{order_id}"


ROLLUP_TOTAL = "TOTAL"
ACTIVE = "ACTIVE"


def rollup_pk(program: str) -> str:
    """A program's rollups: one item per day (`DAY#{YYYY-MM-DD}`) and its totals (TOTAL)."""
    return f"ROLLUP#{program}"


def rollup_day_sk(day: str) -> str:
    return f"DAY#{day}"


def stream_batch_pk(batch_id: str) -> str:
    """How far the rollups got through one batch of stream records (expires by TTL)."""
    return f"STREAM#{batch_id}"
