"""The click: count it, then send the visitor to the program's landing page.

The redirect target always comes from the program's config, never from the request. When
the database fails, the visitor is still redirected with `ref` in the URL, because
attribution rides on that parameter: a lost counter never loses a referral.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .codes import normalize_code
from .context import Context
from .errors import UnavailableError
from .programs import Program

UNIQUE_WINDOW_SECONDS = 24 * 3600
CHANNELS = frozenset(
    {
        "email",
        "x",
        "facebook",
        "whatsapp",
        "linkedin",
        "share",
        "copy",
        "qr",
        "sms",
        "telegram",
        "messenger",
        "reddit",
        "widget",
        "site",
    }
)
_CHANNEL_RE = re.compile(r"[a-z0-9_]{1,20}")


@dataclass(frozen=True)
class Redirect:
    location: str
    code: str
    counted: bool
    degraded: bool = False  # True when the database failed and the click was not counted


class KnownCodes:
    """Remembers which program each code belongs to (a fact that never changes), so that
    when the database fails a visitor still lands on the right program's page."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._programs: OrderedDict[str, str] = OrderedDict()

    def remember(self, code: str, program: str) -> None:
        if code in self._programs:
            return
        self._programs[code] = program
        if len(self._programs) > self._size:
            self._programs.popitem(last=False)

    def program_of(self, code: str) -> str | None:
        return self._programs.get(code)


def record_click(
    ctx: Context,
    known: KnownCodes,
    raw_code: str,
    *,
    ip: str,
    user_agent: str,
    counted: bool,
    channel: str | None = None,
    page: str | None = None,
) -> Redirect | None:
    """Count a click on `raw_code` and say where to send the visitor; None for an unknown
    code. `counted` is False for HEAD requests and bots: they are redirected, not counted."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    now = ctx.clock.now()
    visitor = ctx.signer.visitor_hash(ip, user_agent)
    named = page if page and ctx.catalogue.has_page(page) else None
    try:
        if counted:
            # The same write keeps the click as a touchpoint for attribution models.
            unique = ctx.store.claim_visit(
                visitor, code, now, UNIQUE_WINDOW_SECONDS, keep=_touch_seconds(ctx)
            )
            program_id = ctx.store.count_click(
                code, now, unique=unique, channel=channel_of(channel), page=named
            )
        else:
            referrer = ctx.store.get_referrer(code)
            program_id = referrer.program if referrer else None
    except UnavailableError:
        program = _fallback_program(ctx, known, code)
        location = _target(ctx, program, code, now, page, visitor, channel)
        return Redirect(location, code, False, degraded=True)
    if program_id is None or program_id not in ctx.catalogue.programs:
        return None
    known.remember(code, program_id)
    program = ctx.catalogue.programs[program_id]
    return Redirect(_target(ctx, program, code, now, page, visitor, channel), code, counted)


def channel_of(raw: str | None) -> str:
    """The share channel a click came through: a known name, 'other', or 'direct'."""
    if not raw:
        return "direct"
    channel = raw.strip().lower()
    return channel if channel in CHANNELS and _CHANNEL_RE.fullmatch(channel) else "other"


def add_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` set in its query string (replacing same-named ones), fragment kept."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _target(
    ctx: Context,
    program: Program,
    code: str,
    now: float,
    page: str | None,
    visitor: str,
    channel: str | None = None,
) -> str:
    """The landing URL with `ref` and a click id that also names the visitor, so a
    server-side conversion carrying it can still find the visitor's other touchpoints, and
    the click's channel and landing page, so conversions can be split by them.

    Codes and click ids are made of [a-z0-9._-] only, so they need no escaping, and the
    landing URL (from config) is split once per container rather than once per click."""
    before, after = _landing_template(program.landing_for(page))
    named = page if page and page in program.landing_pages else ""
    click = ctx.signer.click_id(code, now, visitor, channel_of(channel), named)
    return f"{before}ref={code}&click={click}{after}"


@functools.lru_cache(maxsize=256)
def _landing_template(landing: str) -> tuple[str, str]:
    """The landing URL cut where `ref=...&click=...` goes: (up to the query, the rest)."""
    marker = "refkit-params"
    parts = urlsplit(add_query(landing, {"ref": marker}))
    query = parts.query.replace(f"ref={marker}", "")
    before = urlunsplit(parts._replace(query="", fragment="")) + "?" + query
    after = f"#{parts.fragment}" if parts.fragment else ""
    return before, after


def _touch_seconds(ctx: Context) -> int:
    """How long a touchpoint can still matter: the longest attribution window."""
    return max(p.attribution_window_days for p in ctx.catalogue.programs.values()) * 86400


def _fallback_program(ctx: Context, known: KnownCodes, code: str) -> Program:
    program_id = known.program_of(code)
    if program_id and program_id in ctx.catalogue.programs:
        return ctx.catalogue.programs[program_id]
    return ctx.catalogue.default
