"""The click path on the Lambda Function URL: the same function and routes as on the REST
API, in the URL's event format (payload 2.0); nothing else of the API answers there."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chalicelib.api import deps
from tests.common import BROWSER
from tests.helpers import body_of, new_referrer
from tests.rollups import settle


class _Context:
    aws_request_id = "test"
    function_name = "referbee"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:referbee"


def url_event(path: str, query: str = "", method: str = "GET", **extra: Any) -> dict[str, Any]:
    headers = {"user-agent": BROWSER, "host": "abc.lambda-url.us-east-1.on.aws"}
    headers.update(extra.pop("headers", {}))
    context: dict[str, Any] = {
        "domainName": "abc.lambda-url.us-east-1.on.aws",
        "http": {"method": method, "path": path, "sourceIp": "203.0.113.9"},
        "requestId": "r1",
        **extra,
    }
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": False,
    }


def call(event: dict[str, Any]) -> dict[str, Any]:
    """The click function's Lambda handler, as deployed behind the URL."""
    from app import app  # noqa: F401  (the handler serves the app it is registered on)
    from chalicelib.api.function_url import serve_links

    answer: dict[str, Any] = serve_links(event, _Context())
    return answer


def test_a_click_on_the_url_redirects_and_is_counted_once(api: Any) -> None:
    referrer = new_referrer(api)
    code = referrer["code"]
    answer = call(url_event(f"/r/{code}", "ch=whatsapp"))
    assert answer["statusCode"] == 302 and "multiValueHeaders" not in answer
    location = urlsplit(answer["headers"]["Location"])
    assert location.netloc == "shop.example.com"
    assert parse_qs(location.query)["ref"] == [code]
    assert call(url_event(f"/r/{code}", method="HEAD"))["statusCode"] == 302  # not counted
    settle()
    stats = body_of(api.http.get(f"/v1/stats/{referrer['stats_token']}"))
    assert (stats["clicks"], stats["channels"]) == (1, {"whatsapp": 1})


def test_an_unknown_code_on_the_url_gets_the_readable_404_page(api: Any) -> None:
    answer = call(url_event("/r/nope234"))
    assert answer["statusCode"] == 404
    assert answer["headers"]["Content-Type"].startswith("text/html")
    assert "This referral link does not work" in answer["body"]
    assert "nope234" in answer["body"]


def test_the_pixel_answers_a_gif_on_the_url(api: Any) -> None:
    code = new_referrer(api)["code"]
    answer = call(url_event("/p.gif", f"program=shop&event=signup&order=u1&ref={code}"))
    assert answer["statusCode"] == 200 and answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]).startswith(b"GIF8")


def test_nothing_else_of_the_api_answers_on_the_url(api: Any) -> None:
    token = new_referrer(api)["stats_token"]
    for path, method in ((f"/v1/stats/{token}", "GET"), ("/p.gif", "POST"), ("/r/a/b", "GET")):
        answer = call(url_event(path, method=method))
        assert answer["statusCode"] == 404, path
        assert "error" in body_of_text(answer["body"])


def test_the_viewer_address_is_trusted_only_from_a_signed_cloudfront_request(api: Any) -> None:
    code = new_referrer(api)["code"]
    viewer = {"cloudfront-viewer-address": "198.51.100.20:4431"}
    # Unsigned (the URL called directly): the header is the caller's word, not trusted, so
    # two callers claiming two addresses from one connection are one visitor.
    call(url_event(f"/r/{code}", headers=viewer))
    call(url_event(f"/r/{code}", headers={"cloudfront-viewer-address": "192.0.2.1:1"}))
    # Signed by CloudFront (origin access control): each viewer is themselves.
    signed = {"authorizer": {"iam": {"callerId": "cloudfront"}}}
    call(url_event(f"/r/{code}", headers=viewer, **signed))
    settle()
    store = deps.context().store
    visits = store.clients[0].scan(
        TableName="referbee-test",
        FilterExpression="begins_with(PK, :v)",
        ExpressionAttributeValues={":v": {"S": "VISIT#"}},
    )["Items"]
    assert len(visits) == 2  # the connecting address once, the signed viewer once


def body_of_text(body: str) -> Any:
    import json

    return json.loads(body)
