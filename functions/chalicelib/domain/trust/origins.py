"""Which browser origins may call a program's API routes (docs/security.md).

A program's origins are its allowed hosts over HTTPS (any port for localhost and
127.0.0.1, over HTTP too), the origins listed under `origins:` in referbee.yaml, and the
program site. Public read routes name the caller's origin in Access-Control-Allow-Origin
only when it is one of these; write routes refuse a browser request from any other origin
(403), since a "simple" request (the beacon's text/plain POST) reaches the server whatever
CORS says.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ...model.program import Catalogue, Program

_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


def origin_allowed(program: Program, origin: str, site_url: str) -> bool:
    origin = origin.strip().rstrip("/").lower()
    if not origin or origin == "null":
        return False
    if origin in program.origins or (site_url and origin == _origin_of(site_url)):
        return True
    try:
        parts = urlsplit(origin)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.path or parts.query or host not in program.allowed_hosts:
        return False
    if host in _LOCAL_HOSTS:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and parts.port in (None, 443)


def any_program_allows(catalogue: Catalogue, origin: str, site_url: str) -> bool:
    return any(origin_allowed(p, origin, site_url) for p in catalogue.programs.values())


def _origin_of(url: str) -> str:
    parts = urlsplit(url.lower())
    return f"{parts.scheme}://{parts.netloc}"
