"""The click: count it, then send the visitor to the program's landing page.

The redirect target always comes from the program's config, never from the request. When
the database fails, the visitor is still redirected with `ref` in the URL, because
attribution rides on that parameter: a lost counter never loses a referral.
"""

from __future__ import annotations

import functools
import random
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ...model.codes import normalize_code
from ...model.errors import ThrottledError, UnavailableError
from ...model.program import Program
from ...model.records import ClickCounted
from ..context import Context

UNIQUE_WINDOW_SECONDS = 24 * 3600
HOT_DAY_CLICKS = 5_000  # clicks in a day on one counter item that make its code hot
HOT_SHARDS = 16  # counter items a hot code's clicks are spread over
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
    """What this container has learned about codes, from facts that never go wrong:
    - which program each code belongs to (it never changes), so that when the database
      fails a visitor still lands on the right program's page;
    - which codes are hot (a viral link), whose clicks are spread over `shards` counter
      items so that no single item takes more writes than DynamoDB allows one item (about
      1,000 a second). A code is hot once one of its counter items holds `hot_day_clicks`
      clicks in a day, or as soon as a write to it is throttled. Each container learns this
      on its own; counting stays exact either way, because readers sum every item."""

    def __init__(
        self,
        size: int = 20_000,
        *,
        hot_day_clicks: int = HOT_DAY_CLICKS,
        shards: int = HOT_SHARDS,
        choose: Callable[[int], int] = random.randrange,
    ) -> None:
        self._size = size
        self._programs: OrderedDict[str, str] = OrderedDict()
        self._hot: OrderedDict[str, None] = OrderedDict()
        self._hot_day_clicks = hot_day_clicks
        self._shards = shards
        self._choose = choose

    def remember(self, code: str, program: str) -> None:
        if code in self._programs:
            return
        self._programs[code] = program
        if len(self._programs) > self._size:
            self._programs.popitem(last=False)

    def program_of(self, code: str) -> str | None:
        return self._programs.get(code)

    def shard_for(self, code: str) -> int:
        """The counter item to write a click of `code` to: 0 unless the code is hot."""
        return self._choose(self._shards) if code in self._hot else 0

    def observe(self, code: str, counted: ClickCounted) -> None:
        if counted.day_clicks >= self._hot_day_clicks:
            self.mark_hot(code)

    def mark_hot(self, code: str) -> None:
        self._hot[code] = None
        if len(self._hot) > self._size:
            self._hot.popitem(last=False)

    def is_hot(self, code: str) -> bool:
        return code in self._hot


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
            unique = ctx.store.clicks.claim_visit(
                visitor,
                code,
                now,
                UNIQUE_WINDOW_SECONDS,
                keep=ctx.catalogue.longest_window_seconds,
            )
            counted_click = _count(ctx, known, code, now, unique, channel_of(channel), named)
            program_id = counted_click.program if counted_click else None
        else:
            referrer = ctx.store.referrers.get_referrer(code)
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


def _count(
    ctx: Context,
    known: KnownCodes,
    code: str,
    now: float,
    unique: bool,
    channel: str,
    page: str | None,
) -> ClickCounted | None:
    shard = known.shard_for(code)
    try:
        counted = ctx.store.clicks.count_click(
            code, now, unique=unique, channel=channel, page=page, shard=shard
        )
    except ThrottledError:
        # This counter item is too hot: spread the code's clicks from now on, and put this
        # one on another item (a second throttle makes the redirect go on uncounted).
        known.mark_hot(code)
        other = known.shard_for(code)
        if other == shard:
            other = (shard + 1) % HOT_SHARDS
        counted = ctx.store.clicks.count_click(
            code, now, unique=unique, channel=channel, page=page, shard=other
        )
    if counted is not None:
        known.observe(code, counted)
    return counted


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
