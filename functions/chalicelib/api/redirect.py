"""GET /r/{code}: count the click and redirect to the program's landing page."""

from __future__ import annotations

import html

from chalice.app import Blueprint, Response

from ..domain.referrals.clicks import add_query, record_click
from ..domain.trust.bots import is_bot
from ..model.codes import normalize_code
from ..model.errors import UnavailableError
from ..model.program import Catalogue
from ..observability import logger, metrics
from .deps import context, known_codes, load_catalogue, settings
from .http import HTML_HEADERS, client_ip, query, user_agent

bp = Blueprint(__name__)


@bp.route("/r/{code}", methods=["GET", "HEAD"])
def follow_link(code: str) -> Response:
    request = bp.current_request
    return answer_click(
        code, request.method, client_ip(request), user_agent(request), query(request)
    )


def answer_click(code: str, method: str, ip: str, agent: str, params: dict[str, str]) -> Response:
    """The answer to a click, whichever way it came: the REST API's route above, or the
    click function's URL (api/function_url.py), which calls this without Chalice's routing."""
    try:
        ctx = context()
    except UnavailableError:
        # No secrets (SSM unreachable at cold start): no click id can be signed and nothing
        # counted, but the visitor still reaches a landing page with `ref`, which carries
        # the attribution.
        logger.exception("click redirected without its secrets")
        metrics.add_metric(name="ClicksNotCounted", unit="Count", value=1)
        location = landing_without_secrets(code)
        return _redirect(location) if location else _not_found(code, load_catalogue(settings()))
    redirect = record_click(
        ctx,
        known_codes(),
        code,
        ip=ip,
        user_agent=agent,
        counted=method == "GET" and not is_bot(agent),
        channel=params.get("ch"),
        page=params.get("to"),
    )
    if redirect is None:
        return _not_found(code, ctx.catalogue)
    if redirect.degraded:
        # Counts live in DynamoDB; metrics are kept for what needs an alarm.
        logger.warning("click redirected without counting: database unavailable")
        metrics.add_metric(name="ClicksNotCounted", unit="Count", value=1)
    return _redirect(redirect.location)


def _redirect(location: str) -> Response:
    return Response(
        body=b"",
        status_code=302,
        headers={
            "Location": location,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


def landing_without_secrets(raw_code: str) -> str | None:
    """The first program's landing URL with `ref`, from the config alone; None for a code
    that cannot be one."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    return add_query(load_catalogue(settings()).default.landing_url, {"ref": code})


def _not_found(code: str, catalogue: Catalogue) -> Response:
    """A page for a link that leads nowhere, with a way on to the shops of the programs
    (their landing pages, without any referral)."""
    shown = html.escape(code[:40])
    ways = "".join(
        f'<li><a href="{html.escape(p.landing_url)}">Go to {html.escape(p.name)}</a></li>'
        for p in list(catalogue.programs.values())[:5]
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Referral link not found</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;
padding:0 1rem;color:#222}}
h1{{font-size:1.4rem}}code{{background:#f2f2f2;padding:.1rem .3rem;border-radius:4px}}
ul{{padding:0;list-style:none}}a{{color:#1a4fba;font-weight:600}}</style>
</head><body>
<h1>This referral link does not work</h1>
<p>The code <code>{shown}</code> is not a referral code we know. It may have been mistyped or
cut short when it was shared.</p>
<p>Ask the friend who sent it for the link again, or go on without it:</p>
<ul>{ways}</ul>
</body></html>"""
    return Response(body=page.encode(), status_code=404, headers=dict(HTML_HEADERS))
