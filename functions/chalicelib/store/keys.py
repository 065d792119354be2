"""Every DynamoDB key referbee writes is built here, and every key it reads back is parsed
here: nothing else in store/ writes or parses a key prefix.

One table, generic key names (PK, SK, GSI1PK, GSI1SK, GSI2PK), `expires_at` as the TTL
attribute. docs/data-model.md lists the entities and access patterns that these keys serve.
"""

from __future__ import annotations

from ..model.clock import iso
from ..model.records import CLICKS, CONVERSIONS
from .attrs import Item, s

GSI1 = "GSI1"  # overloaded: listings of referrers, conversions, rewards, due messages, keys
GSI2 = "GSI2"  # ranks a program's referrers by their number of successful referrals
SUCCESS_COUNT = "successful_referrals"  # GSI2's sort key (a number attribute)
TTL_ATTRIBUTE = "expires_at"

META = "META"
LIMITS = "LIMITS"
FIRST_PURCHASE = "FIRST_PURCHASE"
CUSTOMER_PROFILE = "PROFILE"
ACTIVE = "ACTIVE"
ROLLUP_TOTAL = "TOTAL"
OUTBOX_DUE = "OUTBOX#DUE"  # GSI1 partition of the messages waiting to go out, by due time
KEYS_GSI = "KEYS"  # GSI1 partition listing every admin key (sort key: the key's hash)
_LAST = "~"  # sorts after every character referbee puts in a key


def key(pk: str, sk: str) -> Item:
    return {"PK": s(pk), "SK": s(sk)}


def gsi1(pk: str, sk: str) -> Item:
    return {"GSI1PK": s(pk), "GSI1SK": s(sk)}


# Referral codes and referrers


def code_pk(code: str) -> str:
    """Everything of a referral code: referrer (META), counters, rewards, limits, active day."""
    return f"CODE#{code}"


def clicks_sk(month: str) -> str:
    """A code's click counters of a month (YYYY-MM), as the rollups add them from the stream;
    readers also sum older ones the click path wrote (`CLICKS#2026-11`, shards `...#07`)."""
    return f"CLICKS#{month}#stream"


def conversions_sk(month: str) -> str:
    """Signup/purchase/revenue counters of one calendar month of a code."""
    return f"CONV#{month}"


def counters_range(first_month: str, last_month: str) -> tuple[str, str]:
    """The sort keys between which a code's counter items of these months lie."""
    return f"CLICKS#{first_month}", conversions_sk(last_month) + _LAST


def counter_of(sk: str) -> tuple[str, str] | None:
    """(CLICKS or CONVERSIONS, month) of a counter item's sort key; None for other items."""
    prefix, _, rest = sk.partition("#")
    kind = {"CLICKS": CLICKS, "CONV": CONVERSIONS}.get(prefix)
    return (kind, rest.split("#")[0]) if kind else None


def code_of(pk: str) -> str | None:
    """The code of a code's partition key; None for another partition."""
    return pk.removeprefix("CODE#") if pk.startswith("CODE#") else None


def email_pk(program: str, email_key: str) -> str:
    """Maps a referrer's (hashed) email in a program to their code."""
    return f"EMAIL#{program}#{email_key}"


def program_referrers_gsi(program: str) -> str:
    """GSI1 partition listing a program's referrers, oldest first."""
    return f"PROG#{program}#REFS"


def referrers_gsi_sk(created_at: float, code: str) -> str:
    return f"{iso(created_at)}#{code}"


def program_board_gsi(program: str) -> str:
    """GSI2 partition ranking a program's referrers by successful referrals (GSI2's sort key
    is the number attribute SUCCESS_COUNT)."""
    return f"PROG#{program}#BOARD"


# Visits


def visit_pk(visitor: str) -> str:
    """A visitor's recent clicks, one item per code (expire by TTL)."""
    return f"VISIT#{visitor}"


def visit_sk(code: str) -> str:
    return f"CODE#{code}"


def is_visit(pk: str) -> bool:
    return pk.startswith("VISIT#")


def visited_code(sk: str) -> str:
    """The code of a visit item's sort key."""
    return sk.removeprefix("CODE#")


# Conversions, customers, the review queue


def order_pk(program: str, event: str, order_id: str) -> str:
    """One conversion, unique per program, event and order id (the idempotency key)."""
    return f"ORDER#{program}#{event}#{order_id}"


def is_order(pk: str) -> bool:
    return pk.startswith("ORDER#")


def program_conversions_gsi(program: str) -> str:
    """GSI1 partition listing a program's conversions, oldest first."""
    return f"PROG#{program}#CONV"


def conversions_gsi_sk(created_at: float, event: str, order_id: str) -> str:
    return f"{iso(created_at)}#{event}#{order_id}"


def conversions_gsi_range(since: float, until: float) -> tuple[str, str]:
    """The GSI1 sort keys between which the conversions created in [since, until] lie."""
    return iso(since), iso(until) + _LAST


def customer_pk(program: str, customer_key: str) -> str:
    """A referred customer (hashed id); FIRST_PURCHASE marks their first purchase, PROFILE
    holds their code, first purchase time and number of purchases."""
    return f"CUSTOMER#{program}#{customer_key}"


def review_pk(program: str) -> str:
    """A program's review queue: one item per flagged conversion, sorted by status."""
    return f"REVIEW#{program}"


def review_sk(status: str, created_at: float, event: str, order_id: str) -> str:
    return f"{review_status_prefix(status)}{iso(created_at)}#{event}#{order_id}"


def review_status_prefix(status: str) -> str:
    return f"{status}#"


def person_pk(program: str, identity: str) -> str:
    """A customer's conversions by their (hashed) canonical email: export and forget."""
    return f"PERSON#{program}#{identity}"


def person_sk(event: str, order_id: str) -> str:
    return f"ORDER#{event}#{order_id}"


def tally_pk(program: str, rule: str, subject: str) -> str:
    """Counts of a fraud rule or rate limit for a subject: an item per window (SK), by TTL."""
    return f"TALLY#{program}#{rule}#{subject}"


# Rewards and coupons


def reward_sk(reward_id: str) -> str:
    """A reward, under its referrer's code (so the stats query returns it)."""
    return f"REWARD#{reward_id}"


def is_reward(sk: str) -> bool:
    return sk.startswith("REWARD#")


def program_rewards_gsi(program: str, status: str) -> str:
    """GSI1 partition of a program's rewards in one status (sorted as rules.reward_order)."""
    return f"PROG#{program}#REWARDS#{status}"


def rewards_gsi_sk(at: float, reward_id: str) -> str:
    return f"{iso(at)}#{reward_id}"


def pool_pk(program: str, pool: str) -> str:
    """A coupon pool: `FREE#{coupon}` items wait to be drawn, `USED#{coupon}` were handed out."""
    return f"POOL#{program}#{pool}"


def free_coupon_sk(coupon: str = "") -> str:
    """A free coupon's sort key; without a coupon, the prefix they all start with."""
    return f"FREE#{coupon}"


def used_coupon_sk(coupon: str = "") -> str:
    """A handed-out coupon's sort key; without a coupon, the prefix they all start with."""
    return f"USED#{coupon}"


# The outbox and the delivery log


def outbox_pk(event_id: str) -> str:
    """An event's outgoing messages, one item per target (a webhook endpoint or email)."""
    return f"OUTBOX#{event_id}"


def outbox_sk(target: str) -> str:
    return f"TO#{target}"


def outbox_gsi_sk(next_at: float, event_id: str, target: str) -> str:
    return f"{iso(next_at)}#{event_id}#{target}"


def delivery_log_pk(program: str) -> str:
    """A program's delivery attempts, oldest first (expire by TTL)."""
    return f"LOG#{program}"


def delivery_log_sk(at: float, event_id: str, target: str, attempt: int) -> str:
    return f"{iso(at)}#{event_id}#{target}#{attempt:03d}"


def due_by(at: float) -> str:
    """The upper bound of GSI1 sort keys that start with a time at or before `at` (due
    messages, rewards whose hold has ended)."""
    return f"{iso(at)}#{_LAST}"


# Admin keys, sign-in links and program rollups


def key_pk(key_hash: str) -> str:
    """An admin API key, addressed by the SHA-256 of the key."""
    return f"KEY#{key_hash}"


# Payments: the webhooks' receipts, and the facts where their events meet


def receipt_pk(program: str, provider: str, event_id: str) -> str:
    """A webhook event handled (by the provider's event id; expires by TTL)."""
    return f"HOOK#{program}#{provider}#{event_id}"


def payment_pk(program: str, key: str) -> str:
    """What is known of one payment provider object (`key`: provider and object id)."""
    return f"PAYMENT#{program}#{key}"


# Sign-in links


def signin_pk(token_hash: str) -> str:
    """A sign-in link, addressed by the keyed hash of its token (expires by TTL)."""
    return f"SIGNIN#{token_hash}"


def rollup_pk(program: str) -> str:
    """A program's rollups: one item per day (`DAY#{YYYY-MM-DD}`) and its totals (TOTAL)."""
    return f"ROLLUP#{program}"


def rollup_day_sk(day: str) -> str:
    return f"DAY#{day}"


def rollup_day_of(sk: str) -> str | None:
    """The day of a rollup day's sort key; None for the totals."""
    return sk.removeprefix("DAY#") if sk.startswith("DAY#") else None


def stream_batch_pk(batch_id: str) -> str:
    """How far the rollups got through one batch of stream records (expires by TTL)."""
    return f"STREAM#{batch_id}"
