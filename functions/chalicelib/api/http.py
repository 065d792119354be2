"""HTTP in and out: JSON bodies, errors as {"error": message}, client identity, links."""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from chalice.app import Request, Response

from ..domain.context import Links
from ..model.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    ReferbeeError,
    UnauthorizedError,
    UnavailableError,
)
from ..observability import logger, metrics
from .deps import settings

MAX_BODY_BYTES = 16 * 1024
JSON_TYPES = ["application/json", "text/plain"]  # text/plain: no CORS preflight for beacons

_STATUS = {
    InvalidInputError: 400,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    GoneError: 410,
    PayloadTooLargeError: 413,
    RateLimitedError: 429,
    UnavailableError: 503,
}

HTML_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        # ASCII-only JSON: any text, even text that is not valid Unicode, serializes safely.
        body=json.dumps(body, separators=(",", ":")),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return json_response({"error": message}, status, headers)


def maps_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    """Turn domain errors raised in a view into JSON 4xx/503 answers.

    Chalice middleware never sees exceptions raised in views, so this wraps each view."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except ReferbeeError as exc:
            status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 400)
            headers: dict[str, str] = {}
            if isinstance(exc, UnavailableError):
                headers["Retry-After"] = str(exc.retry_after)
                logger.warning("database unavailable", extra={"view": view.__name__}, exc_info=exc)
                metrics.add_metric(name="DatabaseFailures", unit="Count", value=1)
            if isinstance(exc, RateLimitedError):
                headers["Retry-After"] = str(exc.retry_after)
                metrics.add_metric(name="RateLimited", unit="Count", value=1)
            return error_response(exc.message, status, headers)

    return wrapper


def read_json(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, or InvalidInputError/PayloadTooLargeError."""
    raw = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLargeError(f"The request body is over {MAX_BODY_BYTES // 1024} KiB.")
    if not raw.strip():
        raise InvalidInputError('The request body must be a JSON object, e.g. {"email": ...}.')
    try:
        body = json.loads(raw)
    except RecursionError:
        raise InvalidInputError("The request body is nested too deeply.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"The request body is not valid JSON ({_short(exc)}).") from None
    if not isinstance(body, dict):
        raise InvalidInputError("The request body must be a JSON object, not a list or value.")
    return body


def reject_unknown_fields(body: dict[str, Any], known: tuple[str, ...]) -> None:
    for name in body:
        if name not in known:
            hint = difflib.get_close_matches(str(name), known, n=1)
            tip = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise InvalidInputError(f"Unknown field '{str(name)[:40]}'{tip}.")


def whole_number(raw: str | None, name: str, default: int, high: int) -> int:
    """A query parameter that must be a whole number from 1 to `high` (`default` if absent)."""
    if raw is None:
        return default
    # isascii: str.isdigit also accepts digits like "²", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
        raise InvalidInputError(f"'{name}' must be a whole number from 1 to {high}.")
    return int(raw)


def query(request: Request) -> dict[str, str]:
    """Single-valued query parameters (the last value wins)."""
    params: Mapping[str, Any] = request.query_params or {}
    return {key: value for key, value in params.items() if isinstance(value, str)}


def client_ip(request: Request) -> str:
    # API Gateway's sourceIp is the connecting address; X-Forwarded-For is client-controlled
    # and therefore never trusted.
    identity = (request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "")


def user_agent(request: Request) -> str:
    return str(request.headers.get("user-agent", ""))[:1000]


def links(request: Request) -> Links:
    config = settings()
    return Links(
        api_base=config.api_url or _request_base(request),
        site_base=config.site_url,
        link_base=config.link_url or "",
    )


def _request_base(request: Request) -> str:
    context = request.context or {}
    domain = str(context.get("domainName") or "")
    headers = request.headers
    if domain:
        stage = str(context.get("stage") or "")
        prefix = f"/{stage}" if stage and ".execute-api." in domain else ""
        return f"https://{domain}{prefix}"
    scheme = headers.get("x-forwarded-proto", "http")
    return f"{scheme}://{headers.get('host', 'localhost')}"


def _short(exc: Exception) -> str:
    return str(exc).split(":")[0][:80]
