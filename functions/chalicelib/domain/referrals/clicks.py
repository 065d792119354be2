"""The click: record it, then send the visitor to the program's landing page.

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

from ...model.codes import normalize_code
from ...model.errors import UnavailableError
from ...model.program import Program
from ..context import Context

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
    """Which program each code belongs to, as this container learned it. A code never
    changes program, so what was learned stays true: a known code's click is one write (the
    visit), and when the database fails a visitor still lands on the right program's page.

    A hot code (a viral link) needs nothing more: its clicks are written to each visitor's
    own visit item, so however many arrive a second no single item takes more writes than
    DynamoDB allows one item (about 1,000 a second), and the rollups add them to the code's
    counters once per stream batch."""

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
    """Record a click on `raw_code` and say where to send the visitor; None for an unknown
    code. `counted` is False for HEAD requests and bots: they are redirected, not counted.

    A counted click is one write, the visitor's visit item, which keeps it as a touchpoint,
    decides its uniqueness and carries its program, channel and page to the table's stream;
    the rollups count it from there (domain/analytics/rollups.py). A code this container has
    not met yet costs one read first, to learn its program (or that it does not exist)."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    now = ctx.clock.now()
    visitor = ctx.signer.visitor_hash(ip, user_agent)
    named = page if page and ctx.catalogue.has_page(page) else None
    try:
        program_id = known.program_of(code) or _look_up(ctx, known, code)
        if program_id is not None and counted:
            ctx.store.clicks.claim_visit(
                visitor,
                code,
                now,
                UNIQUE_WINDOW_SECONDS,
                keep=ctx.catalogue.longest_window_seconds,
                program=program_id,
                channel=channel_of(channel),
                page=named,
            )
    except UnavailableError:
        program = _fallback_program(ctx, known, code)
        location = _target(ctx, program, code, now, page, visitor, channel)
        return Redirect(location, code, False, degraded=True)
    if program_id is None:
        return None
    program = ctx.catalogue.programs[program_id]
    return Redirect(_target(ctx, program, code, now, page, visitor, channel), code, counted)


def _look_up(ctx: Context, known: KnownCodes, code: str) -> str | None:
    """The program of a code this container has not met (one read); None when the code
    does not exist or its program is no longer in the config."""
    referrer = ctx.store.referrers.get_referrer(code)
    if referrer is None or referrer.program not in ctx.catalogue.programs:
        return None
    known.remember(code, referrer.program)
    return referrer.program


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
    marker = "referbee-params"
    parts = urlsplit(add_query(landing, {"ref": marker}))
    query = parts.query.replace(f"ref={marker}", "")
    before = urlunsplit(parts._replace(query="", fragment="")) + "?" + query
    after = f"#{parts.fragment}" if parts.fragment else ""
    return before, after


def _fallback_program(ctx: Context, known: KnownCodes, code: str) -> Program:
    program_id = known.program_of(code)
    if program_id and program_id in ctx.catalogue.programs:
        return ctx.catalogue.programs[program_id]
    return ctx.catalogue.default
