"""The public leaderboard: top referrers by successful referrals, with masked names only.

It reads the ranking index (GSI2), which holds codes, names and counts and nothing else, and
turns every name into "Jane D." before it leaves the domain. A viewer who brings their stats
token also learns their own rank.
"""

from __future__ import annotations

import re
from typing import Any

from ...model.errors import InvalidInputError, NotFoundError
from ...model.program import Program
from ...model.records import BoardEntry, Referrer
from ..context import Context

RANK_BOUND = 1000  # beyond this a viewer's rank is reported as "1001 or lower"
MAX_TOKEN_LENGTH = 200
ANONYMOUS = "A referrer"


def leaderboard_view(ctx: Context, program_id: str, token: str | None) -> dict[str, Any]:
    """The board of a program, and the viewer's place on it when `token` is theirs."""
    program = ctx.catalogue.get(program_id)
    if not program.site.leaderboard:
        raise NotFoundError(f"Program '{program.id}' has no leaderboard.")
    viewer = _viewer(ctx, program, token)
    entries = ctx.store.referrers.top_referrers(program.id, program.site.leaderboard_size)
    leaders = [
        {
            "rank": rank,
            "name": mask_name(entry.name),
            "successful_referrals": entry.successful_referrals,
            "you": viewer is not None and entry.code == viewer.code,
        }
        for rank, entry in zip(_ranks(entries), entries, strict=True)
    ]
    return {
        "program": program.id,
        "size": program.site.leaderboard_size,
        "leaders": leaders,
        "you": _viewer_place(ctx, program, viewer, leaders) if viewer else None,
    }


def mask_name(name: str) -> str:
    """'Jane Doe' -> 'Jane D.': the first name and the initial of the last. Anything that
    looks like an email address is dropped, so an email can never appear."""
    words = [word for word in name.split() if "@" not in word]
    if not words:
        return ANONYMOUS
    first = words[0][:24]
    if len(words) == 1:
        return first
    initial = next((ch for ch in words[-1] if ch.isalpha()), "")
    return f"{first} {initial.upper()}." if initial else first


def _viewer(ctx: Context, program: Program, token: str | None) -> Referrer | None:
    if not token:
        return None
    if len(token) > MAX_TOKEN_LENGTH or not re.fullmatch(r"[A-Za-z0-9.]+", token):
        raise InvalidInputError("'t' is not a stats token; use the one from your stats link.")
    parsed = ctx.signer.read_stats_token(token)
    if parsed is None:
        return None
    code, version = parsed
    referrer = ctx.store.referrers.get_referrer(code)
    if referrer is None or referrer.token_version != version or referrer.program != program.id:
        return None
    return referrer


def _viewer_place(
    ctx: Context, program: Program, viewer: Referrer, leaders: list[dict[str, Any]]
) -> dict[str, Any]:
    place: dict[str, Any] = {
        "name": mask_name(viewer.name),
        "successful_referrals": viewer.successful_referrals,
        "rank": None,
        "rank_exact": True,
        "in_top": False,
    }
    listed = next((leader for leader in leaders if leader["you"]), None)
    if listed is not None:
        place.update(
            rank=listed["rank"],
            successful_referrals=listed["successful_referrals"],
            in_top=True,
        )
    elif viewer.successful_referrals > 0:
        above = ctx.store.referrers.count_referrers_above(
            program.id, viewer.successful_referrals, RANK_BOUND
        )
        place.update(rank=above + 1, rank_exact=above < RANK_BOUND)
    return place


def _ranks(entries: list[BoardEntry]) -> list[int]:
    """Competition ranking (1, 2, 2, 4): equal counts share a rank."""
    ranks: list[int] = []
    for index, entry in enumerate(entries):
        tied = index > 0 and entries[index - 1].successful_referrals == entry.successful_referrals
        ranks.append(ranks[-1] if tied else index + 1)
    return ranks
