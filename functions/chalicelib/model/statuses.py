"""Every status a record can be in, in one place: conversions, the review queue, rewards and
the outbox. Stored as these strings, so a new name here is a data migration."""

from __future__ import annotations

# Conversions.
RECORDED = "recorded"
REVIEW = "review"  # flagged by a fraud rule: counted apart, no reward until approved
REJECTED = "rejected"
REFUNDED = "refunded"
CONVERSION_STATUSES = (RECORDED, REVIEW, REJECTED, REFUNDED)

# Rewards.
PENDING = "pending"
APPROVED = "approved"
PAID = "paid"
VOID = "void"
CLAWBACK = "clawback"
REWARD_STATUSES = (PENDING, APPROVED, PAID, VOID, CLAWBACK)
# What a program owes or has paid: a clawed-back reward was paid, and what is recovered of it
# is an adjustment (a negative reward) netted in the referrer's next payout.
COST_STATUSES = (PENDING, APPROVED, PAID, CLAWBACK)

# The review queue's lists: still flagged, approved (then recorded), rejected.
REVIEW_STATES = (REVIEW, APPROVED, REJECTED)

# Outbox messages, and the outcome of one delivery attempt (RETRY: queued again).
QUEUED = "queued"
DELIVERED = "delivered"
FAILED = "failed"
SKIPPED = "skipped"
RETRY = "retry"
OUTBOX_STATUSES = (QUEUED, DELIVERED, FAILED, SKIPPED)
