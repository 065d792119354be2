"""Rewards for marketers (admin key): refunds, the reward list, marking rewards paid, coupon
pools and the webhook delivery log; and the unsubscribe link of reward emails (public)."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from chalice.app import Blueprint, Response

from ..domain.conversions.flow import EVENTS, conversion_view
from ..domain.conversions.refunds import refund_conversion
from ..domain.rewards.approvals import mark_paid
from ..domain.rewards.coupons import add_coupons, pool_status
from ..domain.rewards.views import reward_view
from ..domain.trust import admin_keys as admin
from ..model.clock import iso
from ..model.errors import InvalidInputError, UnavailableError
from ..model.ledger import COUPON_POOL_EMPTY, DeliveryAttempt
from ..model.records import Conversion
from ..model.statuses import REWARD_STATUSES
from ..observability import logger, metrics
from .deps import context
from .http import (
    HTML_HEADERS,
    json_response,
    maps_errors,
    query,
    read_json,
    reject_unknown_fields,
)

bp = Blueprint(__name__)

FORM_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json",
    "text/plain",
]


def track_rewards(conversion: Conversion) -> None:
    """Metrics and logs for what a new conversion issued; the marketer learns of an empty
    coupon pool here (log, metric), in `referbee coupons status` and in reward webhooks."""
    if conversion.rewards:
        metrics.add_metric(name="RewardsIssued", unit="Count", value=len(conversion.rewards))
    for reward in conversion.rewards:
        if reward.reason == COUPON_POOL_EMPTY:
            metrics.add_metric(name="CouponPoolEmpty", unit="Count", value=1)
            logger.warning(
                "coupon pool is empty: reward is pending",
                extra={"program": reward.program, "pool": reward.pool, "reward": reward.reward_id},
            )


@bp.route("/v1/programs/{program}/conversions/{order_id}/refund", methods=["POST"])
@maps_errors
def refund(program: str, order_id: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body: dict[str, Any] = read_json(request) if (request.raw_body or b"").strip() else {}
    reject_unknown_fields(body, ("event",))
    event = body.get("event", "purchase")
    if event not in EVENTS:
        raise InvalidInputError('\'event\' must be "signup" or "purchase".')
    # Order ids may hold any printable character: clients URL-encode them in the path.
    conversion, refunded = refund_conversion(ctx, found, unquote(order_id), event)
    if refunded:
        metrics.add_metric(name="Refunds", unit="Count", value=1)
    return json_response(conversion_view(conversion))


@bp.route("/v1/programs/{program}/rewards", methods=["GET"])
@maps_errors
def list_rewards(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=False)
    params = query(request)
    statuses = [params["status"]] if "status" in params else list(REWARD_STATUSES)
    for status in statuses:
        if status not in REWARD_STATUSES:
            raise InvalidInputError(f"'status' must be one of {', '.join(REWARD_STATUSES)}.")
    limit = _limit(params.get("limit"), 100, 1000)
    items = []
    for status in statuses:
        rewards = ctx.store.rewards.list_rewards(program, status, limit=limit)
        items += [{**reward_view(r), "ref": r.code} for r in rewards]
    return json_response({"rewards": items[:limit]})


@bp.route("/v1/programs/{program}/rewards/{reward_id}/paid", methods=["POST"])
@maps_errors
def reward_paid(program: str, reward_id: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    reward = mark_paid(ctx, found, reward_id)
    return json_response({**reward_view(reward), "ref": reward.code})


@bp.route("/v1/programs/{program}/coupons", methods=["POST"])
@maps_errors
def upload_coupons(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=True)
    body = read_json(request)
    reject_unknown_fields(body, ("pool", "codes"))
    return json_response(add_coupons(ctx, found, body.get("pool"), body.get("codes")))


@bp.route("/v1/programs/{program}/coupons", methods=["GET"])
@maps_errors
def coupons(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    found = ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=False)
    return json_response({"pools": pool_status(ctx, found)})


@bp.route("/v1/programs/{program}/webhooks/log", methods=["GET"])
@maps_errors
def webhook_log(program: str) -> Response:
    ctx = context()
    request = bp.current_request
    ctx.catalogue.get(program)
    admin.authorize(ctx.store, request.headers.get("authorization"), program, write=False)
    limit = _limit(query(request).get("limit"), 50, 500)
    lines = ctx.store.outbox.delivery_log(program, limit)
    return json_response({"deliveries": [_log_view(line) for line in lines]})


def answers_a_page(view: Callable[..., Response]) -> Callable[..., Response]:
    """These routes are pages for people: a database failure is a page saying to retry."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except UnavailableError:
            logger.warning("unsubscribe page: database unavailable")
            return _page("Please try again", "We could not reach our records just now.", 503)

    return wrapper


@bp.route("/v1/unsubscribe/{token}", methods=["GET"])
@answers_a_page
def unsubscribe_page(token: str) -> Response:
    """A page with a button: mail scanners follow links, so a GET never unsubscribes."""
    if context().signer.read_unsubscribe_token(token) is None:
        return _page("This link does not work", "It may have been cut short. Nothing changed.", 404)
    form = '<form method="post"><button type="submit">Stop reward emails</button></form>'
    return _page(
        "Stop reward emails?",
        "You will still earn rewards; we just stop emailing you about them.",
        200,
        form,
    )


@bp.route("/v1/unsubscribe/{token}", methods=["POST"], content_types=FORM_TYPES)
@answers_a_page
def unsubscribe(token: str) -> Response:
    """The form's button, and mail clients' one-click unsubscribe (RFC 8058)."""
    ctx = context()
    code = ctx.signer.read_unsubscribe_token(token)
    if code is None or not ctx.store.referrers.set_email_opt_out(code, True):
        return _page("This link does not work", "It may have been cut short. Nothing changed.", 404)
    return _page("You are unsubscribed", "We will not email you about rewards any more.", 200)


def _limit(raw: str | None, default: int, high: int) -> int:
    if raw is None:
        return default
    # isascii: str.isdigit also accepts digits like "²", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
        raise InvalidInputError(f"'limit' must be a whole number from 1 to {high}.")
    return int(raw)


def _log_view(line: DeliveryAttempt) -> dict[str, Any]:
    return {
        "at": iso(line.at),
        "event_id": line.event_id,
        "event": line.event_type,
        "target": line.target,
        "attempt": line.attempt,
        "outcome": line.outcome,
        "http_status": line.http_status or None,
        "error": line.error or None,
        "next_attempt_at": iso(line.next_at) if line.next_at else None,
        "duration_ms": line.duration_ms,
    }


def _page(title: str, text: str, status: int, extra: str = "") -> Response:
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;
padding:0 1rem;color:#222}}h1{{font-size:1.4rem}}button{{font:inherit;padding:.5rem 1rem}}</style>
</head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>{extra}</body></html>"""
    return Response(body=page.encode(), status_code=status, headers=dict(HTML_HEADERS))
