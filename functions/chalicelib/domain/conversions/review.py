"""The review queue: conversions a fraud rule flagged wait here, counted apart and without
rewards, until a person approves or rejects them.

Approving counts the conversion and issues its rewards through the same plan as a clean
conversion (domain/rewards/engine.py), in one transaction conditional on the conversion still
being in review: concurrent approvals and retries issue each reward once (the reward ids
are derived from the order, and `attribute_not_exists` guards each). Rejecting records who
(the admin key's name), when and why.
"""

from __future__ import annotations

from dataclasses import replace

from ...model.errors import ConflictError, InvalidInputError, NotFoundError, UnavailableError
from ...model.ledger import EffectsRejectedError
from ...model.program import Program
from ...model.records import Conversion
from ...model.statuses import RECORDED, REJECTED, REVIEW, REVIEW_STATES
from ..context import Context
from ..rewards.engine import ConversionPlan
from .input import EVENTS
from .views import conversion_view

_ROUNDS = 25


def parse_review_id(raw: str) -> tuple[str, str]:
    """`{event}:{order id}` -> (event, order id)."""
    event, sep, order_id = raw.partition(":")
    if not sep or event not in EVENTS or not order_id or len(order_id) > 128:
        raise InvalidInputError(
            "A review id is '{event}:{order_id}', e.g. 'purchase:1001' (see referbee review)."
        )
    return event, order_id


def list_review(ctx: Context, program: Program, status: str, limit: int) -> list[Conversion]:
    if status not in REVIEW_STATES:
        raise InvalidInputError(f"'status' must be one of {', '.join(REVIEW_STATES)}.")
    return ctx.store.reviews.list_reviews(program.id, status, limit)


def approve(
    ctx: Context, program: Program, review_id: str, by: str, note: str = ""
) -> tuple[Conversion, bool]:
    """(conversion, approved now). Approving an approved conversion again changes nothing."""
    flagged = _flagged(ctx, program, review_id)
    if flagged.status != REVIEW:
        if flagged.status == RECORDED:
            return flagged, False
        raise ConflictError(f"This conversion is {flagged.status}; it can no longer be approved.")
    now = ctx.clock.now()
    plan = ConversionPlan(ctx, program, customer_key=flagged.customer, view=conversion_view)
    decided = replace(
        flagged,
        status=RECORDED,
        decided_by=by,
        decided_at=now,
        decision_note=_note(note),
    )
    for _ in range(_ROUNDS):
        approved, effects = plan.build(decided, now=now)
        try:
            stored, done = ctx.store.reviews.approve_conversion(approved, effects)
        except EffectsRejectedError as exc:
            plan.learn(exc.rejection)
            continue
        if done or stored.status == RECORDED:
            return stored, done
        raise ConflictError(f"This conversion is {stored.status}; it can no longer be approved.")
    raise UnavailableError("Too many concurrent updates for this referrer; try again.")


def reject(
    ctx: Context, program: Program, review_id: str, by: str, note: str
) -> tuple[Conversion, bool]:
    """(conversion, rejected now). The reason is required: it is what the marketer will read
    when the customer asks."""
    if not note or not note.strip():
        raise InvalidInputError("Say why: 'reason' is required to reject a conversion.")
    flagged = _flagged(ctx, program, review_id)
    if flagged.status == REJECTED:
        return flagged, False
    if flagged.status != REVIEW:
        raise ConflictError(f"This conversion is {flagged.status}; it can no longer be rejected.")
    now = ctx.clock.now()
    rejected = replace(
        flagged, status=REJECTED, decided_by=by, decided_at=now, decision_note=_note(note)
    )
    if ctx.store.reviews.reject_conversion(rejected):
        return rejected, True
    return reject(ctx, program, review_id, by, note)  # decided meanwhile: answer from its state


def _flagged(ctx: Context, program: Program, review_id: str) -> Conversion:
    event, order_id = parse_review_id(review_id)
    conversion = ctx.store.conversions.get_conversion(program.id, event, order_id)
    if conversion is None or not conversion.flags:
        raise NotFoundError(
            f"There is no flagged conversion '{review_id[:140]}' in program '{program.id}'."
        )
    return conversion


def _note(note: str) -> str:
    text = " ".join(str(note).split())
    if len(text) > 500:
        raise InvalidInputError("'reason' is too long (500 characters at most).")
    return text
