"""Delivering the outbox: webhooks (signed POSTs) and emails, off the request path.

A scheduled function runs this every minute (in `referbee dev`, a worker every few seconds).
Each due message is leased (so two dispatchers never send it at once), sent, and its result
recorded with a line in the delivery log, in one transaction. A failure is retried with
exponential backoff: 30 s, then doubling, 12 retries in all, the last one about 34 hours
after the first attempt; then the message is marked failed. Delivery is at least once:
receivers should drop an event id they have already seen.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace
from email.message import EmailMessage
from typing import Protocol

from ...model.errors import DeliveryError
from ...model.ledger import EMAIL_TARGET, DeliveryAttempt, OutboxMessage
from ...model.notifications import ACCOUNT_TEMPLATES, TEMPLATES
from ...model.statuses import DELIVERED, FAILED, QUEUED, RETRY, SKIPPED
from ..context import Context, Links
from .emails import render_email
from .webhooks import signed_headers

RETRY_DELAYS = tuple(30 * 2**n for n in range(12))  # 30 s ... 17 h 4 min: 34 h in total
LEASE_SECONDS = 120
BUDGET_SECONDS = 40  # then the run stops taking new messages; the next run goes on

logger = logging.getLogger(__name__)


class Outbound(Protocol):
    """How messages leave: HTTP for webhooks, SES (or .eml files in dev) for email."""

    def post_webhook(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST `body`; returns the HTTP status. Raises DeliveryError when no answer came."""
        ...

    def send_email(self, message: EmailMessage) -> None:
        """Send (raises DeliveryError when the mail service refuses)."""
        ...


@dataclass(frozen=True)
class Result:
    outcome: str  # delivered | retry | skipped
    http_status: int = 0
    error: str = ""


def dispatch_due(
    ctx: Context,
    outbound: Outbound,
    links: Links,
    *,
    limit: int = 25,
    budget_seconds: float = BUDGET_SECONDS,
) -> list[DeliveryAttempt]:
    """Deliver the messages that are due now, `limit` at a time, until none is left or the
    time budget is spent (the scheduled Lambda has a minute); returns the attempts made."""
    started_run = time.monotonic()
    attempts: list[DeliveryAttempt] = []
    seen: set[tuple[str, str]] = set()
    while time.monotonic() - started_run < budget_seconds:
        now = ctx.clock.now()
        batch = [
            m
            for m in ctx.store.outbox.due_messages(now, limit)
            if (m.event_id, m.target) not in seen
        ]
        if not batch:
            break
        for message in batch:
            seen.add((message.event_id, message.target))
            if time.monotonic() - started_run >= budget_seconds:
                break
            if not ctx.store.outbox.lease_message(message, now, now + LEASE_SECONDS):
                continue
            started = time.monotonic()
            result = _deliver(ctx, outbound, links, message)
            took = int((time.monotonic() - started) * 1000)
            attempt = _record(ctx, message, result, now, took)
            if attempt is not None:
                attempts.append(attempt)
        if len(batch) < limit:
            break
    return attempts


def _deliver(ctx: Context, outbound: Outbound, links: Links, message: OutboxMessage) -> Result:
    program = ctx.catalogue.programs.get(message.program)
    if program is None:
        return Result(SKIPPED, error="the program is no longer configured")
    try:
        if message.target == EMAIL_TARGET:
            return _email(ctx, outbound, links, message)
        hook = next(
            (h for h in program.incentives.webhooks if f"webhook:{h.id}" == message.target), None
        )
        if hook is None:
            return Result(SKIPPED, error="the webhook endpoint is no longer configured")
        body = message.body.encode()
        headers = signed_headers(
            hook.secret,
            int(ctx.clock.now()),
            body,
            event_type=message.event_type,
            event_id=message.event_id,
            attempt=message.attempts + 1,
        )
        status = outbound.post_webhook(hook.url, body, headers)
    except DeliveryError as exc:
        return Result(RETRY, error=exc.message[:300])
    if 200 <= status < 300:
        return Result(DELIVERED, http_status=status)
    return Result(RETRY, http_status=status, error=f"HTTP {status}")


def _email(ctx: Context, outbound: Outbound, links: Links, message: OutboxMessage) -> Result:
    program = ctx.catalogue.get(message.program)
    emails = program.incentives.emails
    if emails is None:
        return Result(SKIPPED, error="the program sends no emails")
    data = json.loads(message.body)
    if data.get("template") not in TEMPLATES:
        return Result(SKIPPED, error="the email template is unknown")
    referrer = ctx.store.referrers.get_referrer(message.code)
    if referrer is None or not referrer.email:
        return Result(SKIPPED, error="the referrer is unknown")
    if referrer.email_opt_out and data["template"] not in ACCOUNT_TEMPLATES:
        # Account emails (a stats or sign-in link) were asked for with the address just now.
        return Result(SKIPPED, error="the referrer unsubscribed")
    email = render_email(
        ctx,
        emails,
        data["template"],
        data.get("merge", {}),
        referrer,
        links,
        program_name=program.name,
    )
    outbound.send_email(email)
    return Result(DELIVERED)


def _record(
    ctx: Context, message: OutboxMessage, result: Result, now: float, duration_ms: int
) -> DeliveryAttempt | None:
    attempt_no = message.attempts + 1
    status, next_at = DELIVERED, 0.0
    if result.outcome == SKIPPED:
        status = SKIPPED
    elif result.outcome == RETRY and attempt_no <= len(RETRY_DELAYS):
        status, next_at = QUEUED, now + RETRY_DELAYS[attempt_no - 1]
    elif result.outcome == RETRY:
        status = FAILED
    outcome = {QUEUED: RETRY}.get(status, status)
    if status in (QUEUED, FAILED):
        logger.warning(
            "delivery of %s to %s failed (attempt %d): %s",
            message.event_type,
            message.target,
            attempt_no,
            result.error,
        )
    updated = replace(
        message,
        attempts=attempt_no,
        status=status,
        next_at=next_at or message.next_at,
        last_error=result.error,
    )
    attempt = DeliveryAttempt(
        program=message.program,
        event_id=message.event_id,
        event_type=message.event_type,
        target=message.target,
        attempt=attempt_no,
        at=now,
        outcome=outcome,
        http_status=result.http_status,
        error=result.error,
        next_at=next_at,
        duration_ms=duration_ms,
    )
    return attempt if ctx.store.outbox.finish_delivery(updated, attempt) else None
