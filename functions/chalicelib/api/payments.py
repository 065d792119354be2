"""Webhooks from payment providers: `POST /v1/programs/{program}/hooks/stripe` and
`.../hooks/shopify`. Each checks the provider's signature on the raw body before reading it
as JSON (a bad or missing one answers 400 for Stripe, 401 for Shopify, and records nothing),
then hands the event to domain/payments/dispatch.py. The official `stripe` library is
imported here only, on the first Stripe event a container receives, so the click path's cold
start does not pay for it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from chalice.app import Blueprint, Request, Response

from ..domain.context import Context
from ..domain.payments.dispatch import handle_event
from ..domain.payments.events import ProviderEvent
from ..model.errors import InvalidInputError, NotFoundError, PayloadTooLargeError
from ..model.program import Program
from ..observability import logger, metrics
from .deps import context, settings
from .http import error_response, json_response, maps_errors
from .promotions import with_promotion_codes

bp = Blueprint(__name__)

MAX_HOOK_BYTES = 512 * 1024  # an invoice with many lines is far above the API's 16 KiB
HOOK_TYPES = ["application/json", "text/plain"]


@bp.route("/v1/programs/{program}/hooks/stripe", methods=["POST"], content_types=HOOK_TYPES)
@maps_errors
def stripe_hook(program: str) -> Response:
    ctx, found, secret, request, raw = _arrival(program, "stripe")
    import stripe

    try:
        stripe.Webhook.construct_event(raw, request.headers.get("stripe-signature"), secret)
    except stripe.SignatureVerificationError as exc:
        return _refused(400, f"The Stripe-Signature header does not verify: {exc.user_message}")
    except ValueError:
        return error_response("The body is not a JSON Stripe event.", 400)
    body = _event_body(raw)
    data = body.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(body.get("id"), str) or not isinstance(obj, dict):
        raise InvalidInputError("A Stripe event needs an 'id' and a 'data.object'.")
    event_type = str(body.get("type"))
    obj = with_promotion_codes(
        event_type, obj, found.payments.stripe_api_key, settings().stripe_api_base
    )
    event = ProviderEvent("stripe", body["id"], event_type, obj)
    return _answer(event, handle_event(ctx, found, event).view())


@bp.route("/v1/programs/{program}/hooks/shopify", methods=["POST"], content_types=HOOK_TYPES)
@maps_errors
def shopify_hook(program: str) -> Response:
    ctx, found, secret, request, raw = _arrival(program, "shopify")
    given = request.headers.get("x-shopify-hmac-sha256") or ""
    expected = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest())
    if not hmac.compare_digest(expected, given.strip().encode()):
        return _refused(401, "The X-Shopify-Hmac-Sha256 header does not verify the body.")
    body = _event_body(raw)
    event_id = request.headers.get("x-shopify-webhook-id") or ""
    topic = request.headers.get("x-shopify-topic") or ""
    if not event_id or not topic:
        raise InvalidInputError("A Shopify webhook carries X-Shopify-Webhook-Id and -Topic.")
    event = ProviderEvent("shopify", event_id[:200], topic[:100], body)
    return _answer(event, handle_event(ctx, found, event).view())


def _arrival(program: str, provider: str) -> tuple[Context, Program, str, Request, bytes]:
    """What both routes start from: the program, its webhook secret for `provider` (404 when
    it is not connected), the request and its raw body."""
    ctx = context()
    found = ctx.catalogue.get(program)
    secret = found.payments.stripe_secret if provider == "stripe" else found.payments.shopify_secret
    if secret is None:
        raise NotFoundError(
            f"Program '{found.id}' is not connected to {provider.capitalize()}: set "
            f"payments.{provider}.webhook_secret in referbee.yaml (docs/payments.md)."
        )
    request = bp.current_request
    return ctx, found, secret, request, _raw(request)


def _raw(request: Request) -> bytes:
    body = request.raw_body or b""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > MAX_HOOK_BYTES:
        raise PayloadTooLargeError(f"The event is over {MAX_HOOK_BYTES // 1024} KiB.")
    return raw


def _event_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidInputError("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise InvalidInputError("The body must be a JSON object.")
    return body


def _refused(status: int, message: str) -> Response:
    metrics.add_metric(name="PaymentHooksRefused", unit="Count", value=1)
    return error_response(message, status)


def _answer(event: ProviderEvent, view: dict[str, str]) -> Response:
    logger.info(
        "payment event",
        extra={"provider": event.provider, "event": event.type, "event_id": event.id, **view},
    )
    return json_response({"id": event.id, "type": event.type, **view})
