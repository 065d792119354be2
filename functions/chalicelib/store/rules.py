"""What both store twins must do the same way, written once and called by both: the counters a
click or conversion adds to, the touchpoint list of a visitor, how long short-lived items live,
and the order of every listing (the DynamoDB twin's sort keys; the in-memory twin sorts by the
same strings).
"""

from __future__ import annotations

import time
from decimal import Decimal

from ..model.ledger import PENDING, Credit, DeliveryAttempt, OutboxMessage, RewardRecord
from ..model.losses import Loss
from ..model.payments import PaymentFacts, Receipt
from ..model.records import (
    HELD_PURCHASE,
    HELD_SIGNUP,
    RECORDED,
    REVIEW,
    Conversion,
    Referrer,
    SigninLink,
    counter_name,
    credits_of,
)
from . import keys

TOUCH_CAP = 16  # touchpoints kept per visitor per code; older ones are compacted away
LOG_DAYS = 30  # how long a line of the delivery log is kept
RECEIPT_DAYS = 90  # how long a webhook event's receipt is kept (providers retry for 3 days)
APPROVED_IN_QUEUE = "approved"  # the review queue's name for a conversion approved (recorded)


# Counters


def month_and_day(at: float) -> tuple[str, str]:
    """The UTC calendar month (YYYY-MM) and day of the month (DD) of a time: the counter item
    and the counter a click or conversion at that time adds to."""
    stamp = time.strftime("%Y-%m-%d", time.gmtime(at))
    return stamp[:7], stamp[8:]


def conversion_counters(conversion: Conversion, credit: Credit, sign: int) -> dict[str, Decimal]:
    """What a conversion adds to one credited code's counters of its day (`sign` -1 takes it
    back, on a refund): a purchase or signup, or, held for review, a flagged one (counted apart
    until a person approves it); and the code's share of the revenue, unless held."""
    _, day = month_and_day(conversion.created_at)
    held = conversion.status == REVIEW
    letter = held_letter(conversion) if held else "p" if conversion.event == "purchase" else "s"
    adds = {counter_name(letter, day): Decimal(sign)}
    if credit.revenue > 0 and not held:
        adds[counter_name("r", day, conversion.currency)] = credit.revenue * sign
    return adds


def held_letter(conversion: Conversion) -> str:
    return HELD_PURCHASE if conversion.event == "purchase" else HELD_SIGNUP


def release_counters(decided: Conversion) -> dict[str, dict[str, Decimal]]:
    """What a person's decision on a held conversion takes back, per credited code: the one
    it added to the held counter of its day (approving then counts it as recorded)."""
    _, day = month_and_day(decided.created_at)
    name = counter_name(held_letter(decided), day)
    return {credit.code: {name: Decimal(-1)} for credit in credits_of(decided)}


def counter_difference(claim: Conversion, confirmed: Conversion) -> dict[str, dict[str, Decimal]]:
    """What confirming a claim adds to each code's counters of the claim's day: the
    confirmed conversion's additions less the claim's, per code, without zeros."""
    net: dict[str, dict[str, Decimal]] = {}
    for conversion, sign in ((claim, -1), (confirmed, 1)):
        for credit in credits_of(conversion):
            adds = net.setdefault(credit.code, {})
            for name, value in conversion_counters(conversion, credit, sign).items():
                adds[name] = adds.get(name, Decimal(0)) + value
    moved = {code: {k: v for k, v in adds.items() if v} for code, adds in net.items()}
    return {code: adds for code, adds in moved.items() if adds}


def adds_a_referral(conversion: Conversion) -> bool:
    """Whether recording this conversion adds one to its primary referrer's successful
    referrals (the leaderboard's rank and the basis of tiers)."""
    return conversion.successful and conversion.status == RECORDED


# Touchpoints: a visitor's recent clicks on a code


def visit_lifetime(window: int, keep: int) -> int:
    """Seconds a visit item lives after its last click: the uniqueness window, or longer when
    the program keeps touchpoints for attribution."""
    return max(window, keep)


def unique_anchor(anchor: float | None, touches: list[float], window: int) -> float | None:
    """The last click that was counted as unique, walking the clicks in the order they were
    written: a click is unique when it comes `window` seconds or more after the last unique
    one. Recomputing this from the stored clicks is what lets one unconditional write both
    record a touchpoint and decide uniqueness."""
    for at in touches:
        if anchor is None or at - anchor >= window:
            anchor = at
    return anchor


def is_unique(anchor: float | None, touches: list[float], now: float, window: int) -> bool:
    last = unique_anchor(anchor, touches, window)
    return last is None or now - last >= window


def compact_touches(
    anchor: float | None, touches: list[float], now: float, window: int, keep: int
) -> tuple[float | None, list[float]]:
    """(new anchor, kept touches): the newest half of the list that is still inside `keep`
    seconds, and the anchor as of the dropped prefix, so uniqueness is decided as before."""
    cut = len(touches)
    while cut > 0 and len(touches) - cut < TOUCH_CAP // 2 and touches[cut - 1] >= now - keep:
        cut -= 1
    return unique_anchor(anchor, touches[:cut], window), touches[cut:]


# Forgetting a person


def identity_tallies(program: str, identity: str) -> list[tuple[str, str, str, str]]:
    """(program, rule, subject, window) of the tallies keyed by a person's canonical email:
    the duplicate-email rules' (as domain/trust/fraud.py names them), which never roll over."""
    return [
        (program, f"duplicate_email_{event}", identity, "all") for event in ("signup", "purchase")
    ]


# Sign-in links


def signin_spendable(link: SigninLink, program: str, now: float) -> bool:
    """Whether a sign-in link may be spent: it is the program's and has not expired. TTL
    deletion is lazy (DynamoDB removes expired items within days), so expiry is checked here
    too; the DynamoDB twin writes the same test as the condition of its delete."""
    return link.program == program and link.expires_at > now


# Lifetimes


def log_expiry(attempt: DeliveryAttempt) -> int:
    return int(attempt.at) + LOG_DAYS * 86400


def receipt_expiry(receipt: Receipt) -> int:
    return int(receipt.handled_at) + RECEIPT_DAYS * 86400


# What is known of a payment provider object, merged the same way by both twins


def merged_facts(known: PaymentFacts, added: PaymentFacts) -> PaymentFacts:
    """`added` on top of `known`: an order or an end once known stays known, and every
    report of a refund or dispute is kept (domain/conversions/refunds.py merges them)."""
    return PaymentFacts(
        order=added.order or known.order,
        recorded=known.recorded or added.recorded,
        losses=tuple(sorted(set(known.losses) | set(added.losses), key=loss_order)),
        ended_at=known.ended_at or added.ended_at,
    )


def loss_order(loss: Loss) -> tuple[str, str, Decimal, str]:
    return (loss.id, loss.kind, loss.amount, loss.status)


# The order of listings


def referrer_order(referrer: Referrer) -> str:
    """A program's referrers: oldest first."""
    return keys.referrers_gsi_sk(referrer.created_at, referrer.code)


def conversion_order(conversion: Conversion) -> str:
    """A program's conversions: oldest first."""
    return keys.conversions_gsi_sk(conversion.created_at, conversion.event, conversion.order_id)


def reward_order(reward: RewardRecord) -> str:
    """A program's rewards in one status: pending ones by the end of their hold, the others by
    when they last changed, oldest first."""
    at = reward.approve_at if reward.status == PENDING else reward.updated_at
    return keys.rewards_gsi_sk(at, reward.reward_id)


def message_order(message: OutboxMessage) -> str:
    """Messages waiting to go out: the first due first."""
    return keys.outbox_gsi_sk(message.next_at, message.event_id, message.target)


def log_order(attempt: DeliveryAttempt) -> str:
    """The delivery log, read newest first."""
    return keys.delivery_log_sk(attempt.at, attempt.event_id, attempt.target, attempt.attempt)


def queue_status(status: str) -> str:
    """The review queue files a flagged conversion under its status, an approved (recorded)
    one as approved."""
    return APPROVED_IN_QUEUE if status == RECORDED else status


def review_order(conversion: Conversion) -> str:
    """A program's review queue: by status, then newest first when read backwards."""
    return keys.review_sk(
        queue_status(conversion.status),
        conversion.created_at,
        conversion.event,
        conversion.order_id,
    )
