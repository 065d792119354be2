"""One webhook POST with the standard library: a short timeout, and redirects not followed
(a receiver that moved must be reconfigured, not guessed at)."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

from ..model.errors import DeliveryError

TIMEOUT_SECONDS = 10


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())


def post_json(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST and return the status; DeliveryError when there is no HTTP answer at all."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(f"not an http(s) URL: {url[:80]}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(f"no answer from the endpoint ({type(exc).__name__}: {exc})") from exc
