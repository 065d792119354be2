"""Rewards for marketers (admin key): refunds, the reward list, marking rewards paid, coupon
pools and the webhook delivery log; and the unsubscribe link of reward emails (public)."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from chalice.app import Blueprint, Response

from ..domain.conversions.input import EVENTS
from ..domain.conversions.refunds import refund_conversion
from ..domain.conversions.views import conversion_view
from ..domain.rewards.approvals import mark_paid
from ..domain.rewards.coupons import add_coupons, pool_status
from ..domain.rewards.views import reward_view
from ..model.clock import iso
from ..model.errors import InvalidInputError, UnavailableError
from ..model.ledger import DeliveryAttempt
from ..model.statuses import REWARD_STATUSES
from ..observability import logger, metrics
from .admin import AdminCall, admin_route
from .deps import context
from .http import (
    HTML_HEADERS,
    json_response,
    query,
    read_json,
    reject_unknown_fields,
    whole_number,
)

bp = Blueprint(__name__)

FORM_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json",
    "text/plain",
]


@admin_route(
    bp, "/v1/programs/{program}/conversions/{order_id}/refund", methods=["POST"], write=True
)
def refund(call: AdminCall, order_id: str) -> Response:
    request = call.request
    body: dict[str, Any] = read_json(request) if (request.raw_body or b"").strip() else {}
    reject_unknown_fields(body, ("event",))
    event = body.get("event", "purchase")
    if event not in EVENTS:
        raise InvalidInputError('\'event\' must be "signup" or "purchase".')
    # Order ids may hold any printable character: clients URL-encode them in the path.
    conversion, refunded = refund_conversion(call.ctx, call.program, unquote(order_id), event)
    if refunded:
        metrics.add_metric(name="Refunds", unit="Count", value=1)
    return json_response(conversion_view(conversion))


@admin_route(bp, "/v1/programs/{program}/rewards", methods=["GET"], write=False)
def list_rewards(call: AdminCall) -> Response:
    params = query(call.request)
    statuses = [params["status"]] if "status" in params else list(REWARD_STATUSES)
    for status in statuses:
        if status not in REWARD_STATUSES:
            raise InvalidInputError(f"'status' must be one of {', '.join(REWARD_STATUSES)}.")
    limit = whole_number(params.get("limit"), "limit", 100, 1000)
    items = []
    for status in statuses:
        rewards = call.ctx.store.rewards.list_rewards(call.program.id, status, limit=limit)
        items += [{**reward_view(r), "ref": r.code} for r in rewards]
    return json_response({"rewards": items[:limit]})


@admin_route(bp, "/v1/programs/{program}/rewards/{reward_id}/paid", methods=["POST"], write=True)
def reward_paid(call: AdminCall, reward_id: str) -> Response:
    reward = mark_paid(call.ctx, call.program, reward_id)
    return json_response({**reward_view(reward), "ref": reward.code})


@admin_route(bp, "/v1/programs/{program}/coupons", methods=["POST"], write=True)
def upload_coupons(call: AdminCall) -> Response:
    body = read_json(call.request)
    reject_unknown_fields(body, ("pool", "codes"))
    return json_response(add_coupons(call.ctx, call.program, body.get("pool"), body.get("codes")))


@admin_route(bp, "/v1/programs/{program}/coupons", methods=["GET"], write=False)
def coupons(call: AdminCall) -> Response:
    return json_response({"pools": pool_status(call.ctx, call.program)})


@admin_route(bp, "/v1/programs/{program}/webhooks/log", methods=["GET"], write=False)
def webhook_log(call: AdminCall) -> Response:
    limit = whole_number(query(call.request).get("limit"), "limit", 50, 500)
    lines = call.ctx.store.outbox.delivery_log(call.program.id, limit)
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
