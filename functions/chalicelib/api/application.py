"""The API function's app: every blueprint registered on one Chalice app by `create_app`
(functions/app.py creates it; Chalice deploys the app's other functions from it too)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, Response

from ..model.errors import ReferbeeError
from ..observability import flush_metrics, logger
from ..settings import Settings
from . import (
    access,
    analytics,
    conversions,
    cors,
    function_url,
    leaderboard,
    payments,
    programs,
    redirect,
    review,
    rewards,
    rollups,
    schedule,
    security,
    stats,
    widget,
)


class ReferbeeChalice(Chalice):
    """Chalice, with two fixes for API Gateway's binary handling (the click function's URL
    is served by api/function_url.py without the app).

    The pixel needs `*/*` in binary_types, and with that Chalice refuses any response to a
    request that sent no Accept header (many server-side HTTP clients send none). A missing
    Accept header is therefore read as `*/*`, which is what HTTP says it means."""

    def __call__(self, event: Any, context: Any) -> Any:
        if "requestContext" in event:
            headers = event.get("headers")
            if headers is None:
                headers = event["headers"] = {}
            if (
                "accept" not in headers
                and "Accept" not in headers
                and not any(name.lower() == "accept" for name in headers)
            ):
                headers["accept"] = "*/*"
        return super().__call__(event, context)


def create_app() -> Chalice:
    app = ReferbeeChalice(app_name="referbee")
    # `*/*` covers every entry of Chalice's default list, which it lower-cases several
    # times per request; one entry is the same behaviour for less work.
    app.api.binary_types = list(function_url.BINARY_TYPES)
    for blueprint in (
        programs.bp,
        redirect.bp,
        conversions.bp,
        stats.bp,
        leaderboard.bp,
        widget.bp,
        rewards.bp,
        schedule.bp,
        cors.bp,
        review.bp,
        security.bp,
        analytics.bp,
        payments.bp,
        function_url.bp,
        access.bp,
    ):
        app.register_blueprint(blueprint)
    app.register_middleware(_finish_response, "http")
    stream_arn = Settings.from_env().stream_arn
    if stream_arn:
        rollups.subscribe(app, stream_arn)
    return app


def _finish_response(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """One middleware (each layer costs time on every click) for two jobs: error bodies in
    one shape, and metrics flushed after every request."""
    try:
        return _readable_errors(_uniform_errors(get_response(event), event), event)
    finally:
        flush_metrics()


def _readable_errors(response: Response, event: Any) -> Response:
    """An error answer (unknown program, bad token...) is readable by any page of any
    program's origins, so the widget and the site can say what went wrong; it holds nothing
    private. Successful answers carry their program's own CORS headers (api/cors.py)."""
    headers = getattr(event, "headers", None) or {}
    if (
        response.status_code >= 400
        and headers.get("origin")
        and "Access-Control-Allow-Origin" not in response.headers
    ):
        # Without a configuration to read, the answer stays unreadable to pages.
        with contextlib.suppress(ReferbeeError):
            response.headers.update(cors.cors_headers(event, None))
    return response


def _uniform_errors(response: Response, event: Any) -> Response:
    """Chalice's own errors (405, 415, 500...) speak {"Code", "Message"}; ours speak
    {"error": message}. Rewrite theirs so every client sees one shape."""
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
