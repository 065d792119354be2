"""The HTTP API: Chalice blueprints, one per area, registered on the app by `create_app`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, Response

from ..observability import logger, metrics
from . import conversions, programs, redirect, rewards, schedule, stats


class RefkitChalice(Chalice):
    """Chalice, with two fixes for API Gateway's binary handling.

    The pixel needs `*/*` in binary_types, and with that Chalice refuses any response to a
    request that sent no Accept header (many server-side HTTP clients send none). A missing
    Accept header is therefore read as `*/*`, which is what HTTP says it means."""

    def __call__(self, event: Any, context: Any) -> Any:
        headers = event.get("headers")
        if isinstance(event.get("requestContext"), dict):
            if headers is None:
                headers = event["headers"] = {}
            if not any(name.lower() == "accept" for name in headers):
                headers["accept"] = "*/*"
        return super().__call__(event, context)


def create_app() -> Chalice:
    app = RefkitChalice(app_name="refkit")
    app.api.binary_types.append("*/*")
    for blueprint in (programs.bp, redirect.bp, conversions.bp, stats.bp, rewards.bp, schedule.bp):
        app.register_blueprint(blueprint)
    app.register_middleware(_uniform_errors, "http")
    app.register_middleware(_flush_metrics, "all")
    return app


def _uniform_errors(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Chalice's own errors (405, 415, 500...) speak {"Code", "Message"}; ours speak
    {"error": message}. Rewrite theirs so every client sees one shape."""
    response = get_response(event)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Message" in body:
        if response.status_code >= 500:
            logger.error("unhandled error", extra={"path": getattr(event, "path", "")})
            message = "Something went wrong on our side; please try again."
        elif response.status_code == 415:
            message = "Send the body as JSON, with the header 'Content-Type: application/json'."
        else:
            message = str(body["Message"])
        response.body = json.dumps({"error": message})
        response.headers["Content-Type"] = "application/json"
    return response


def _flush_metrics(event: Any, get_response: Callable[[Any], Any]) -> Any:
    try:
        return get_response(event)
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
