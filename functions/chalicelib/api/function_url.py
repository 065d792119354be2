"""The click path on a Lambda Function URL: `/r/{code}` and `/p.gif` served by the same
code and the same routes as on the REST API, without API Gateway's price per request.

A Function URL sends its requests in API Gateway's HTTP API format (payload 2.0); Chalice
reads the REST API's (1.0). `as_rest_event` turns one into the other for these two routes
only (anything else on the URL is a 404: the rest of the API stays behind the REST API's
throttling), and `as_url_response` turns Chalice's answer into the URL's format.

The visitor's address is the connecting one. Behind the program's CloudFront distribution
(`link_domain`), the URL only accepts requests CloudFront signed (AWS_IAM auth, origin
access control), so there, and only there, CloudFront's `CloudFront-Viewer-Address` header
is the visitor's address."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, unquote

from chalice.app import Blueprint, Request, Response

from ..observability import flush_metrics, logger
from . import redirect

FUNCTION = "clicks"  # Chalice's name for the function; it deploys as "<app>-<stage>-clicks"

bp = Blueprint(__name__)

_CLICK = re.compile(r"/r/([^/]{1,200})")
_PIXEL = "/p.gif"
BINARY_TYPES = ["*/*"]  # as the app's (application.py): the pixel's GIF goes out base64-encoded
_FAILED = json.dumps({"error": "Something went wrong on our side; please try again."})
_NOT_SERVED = json.dumps({"error": "Not found on the link address; use the API's address."})


@bp.lambda_function(name=FUNCTION)
def serve_links(event: dict[str, Any], context: Any) -> Any:
    """The click function. A click is answered by the redirect route's own code
    (redirect.answer_click) without Chalice's per-request routing, request and response
    objects and middleware, the largest part of a warm click; the pixel by the pixel route's
    own code (conversions.answer_pixel), imported on the container's first pixel. Lambda
    imports this module by itself, not functions/app.py: a click container never loads the
    rest of the API. Its own function, so that the API handler can point referral links at
    this one's URL, and the click path scales and is billed apart."""
    try:
        click = _click_of(event)
        if click is not None:
            return _url_answer(redirect.answer_click(*click))
        return _pixel(event)
    except Exception:
        logger.exception("click failed")
        return {**not_served(), "statusCode": 500, "body": _FAILED}
    finally:
        flush_metrics()


def _pixel(event: Any) -> dict[str, Any]:
    """The pixel's answer in the URL's format; 404 for anything else on the URL."""
    rest = as_rest_event(event) if is_url_event(event) else None
    if rest is None or rest["resource"] != _PIXEL:
        return not_served()
    from .conversions import answer_pixel  # the rest of the conversion path, on first use

    return as_url_response(answer_pixel(Request(rest)).to_dict(BINARY_TYPES))


def _click_of(event: Any) -> tuple[str, str, str, str, dict[str, str]] | None:
    """(code, method, visitor address, user agent, query) of a click on the URL."""
    if not is_url_event(event):
        return None
    http = event.get("requestContext", {}).get("http", {})
    method = str(http.get("method", ""))
    found = _CLICK.fullmatch(str(event.get("rawPath", "")))
    if found is None or method not in ("GET", "HEAD"):
        return None
    headers = event.get("headers") or {}
    raw_query = str(event.get("rawQueryString") or "")
    params = {k: v[-1] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
    agent = str(headers.get("user-agent", ""))[:1000]
    return unquote(found.group(1)), method, _visitor_address(event, headers, http), agent, params


def _url_answer(response: Response) -> dict[str, Any]:
    body = response.body
    return {
        "statusCode": response.status_code,
        "headers": response.headers,
        "body": body.decode() if isinstance(body, bytes) else str(body or ""),
        "isBase64Encoded": False,
    }


def is_url_event(event: Any) -> bool:
    return isinstance(event, dict) and event.get("version") == "2.0" and "rawPath" in event


def as_rest_event(event: dict[str, Any]) -> dict[str, Any] | None:
    """The REST API (1.0) event of a click or pixel request to the URL; None for any other
    path or method."""
    http = event.get("requestContext", {}).get("http", {})
    method, path = str(http.get("method", "")), str(event.get("rawPath", ""))
    click = _CLICK.fullmatch(path)
    if click and method in ("GET", "HEAD"):
        resource, parameters = "/r/{code}", {"code": click.group(1)}
    elif path == _PIXEL and method == "GET":
        resource, parameters = _PIXEL, None
    else:
        return None
    raw_query = str(event.get("rawQueryString") or "")
    multi = parse_qs(raw_query, keep_blank_values=True) if raw_query else None
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {},
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} if multi else None,
        "multiValueQueryStringParameters": multi,
        "pathParameters": parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": path,
            "stage": "$default",
            "domainName": str(headers.get("host") or event["requestContext"].get("domainName")),
            "identity": {"sourceIp": _visitor_address(event, headers, http)},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def as_url_response(response: dict[str, Any]) -> dict[str, Any]:
    """Chalice's answer in the URL's format: multi-valued headers joined, cookies apart."""
    headers = {str(k): str(v) for k, v in (response.get("headers") or {}).items()}
    cookies: list[str] = []
    for name, values in (response.get("multiValueHeaders") or {}).items():
        if name.lower() == "set-cookie":
            cookies += [str(v) for v in values]
        else:
            headers[name] = ",".join(str(v) for v in values)
    answer = {
        "statusCode": response["statusCode"],
        "headers": headers,
        "body": response.get("body") or "",
        "isBase64Encoded": bool(response.get("isBase64Encoded")),
    }
    if cookies:
        answer["cookies"] = cookies
    return answer


def not_served() -> dict[str, Any]:
    return {
        "statusCode": 404,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": _NOT_SERVED,
        "isBase64Encoded": False,
    }


def _visitor_address(event: dict[str, Any], headers: dict[str, str], http: dict[str, Any]) -> str:
    signed = bool((event["requestContext"].get("authorizer") or {}).get("iam"))
    viewer = headers.get("cloudfront-viewer-address", "")
    if signed and viewer:
        # "203.0.113.7:46532" or "[2001:db8::1]:46532": the address without its port.
        return viewer.rsplit(":", 1)[0].strip("[]")
    return str(http.get("sourceIp", ""))
