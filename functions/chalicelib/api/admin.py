"""The admin API's one way in: `admin_route` registers a route that needs an admin key."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice.app import Blueprint, Request, Response

from ..domain.context import Context
from ..domain.trust.admin_keys import authorize
from ..domain.trust.ratelimits import rate_tally
from ..model.errors import UnauthorizedError
from ..model.ledger import Tally
from ..model.program import Program
from ..model.records import AdminKey
from .deps import context, settings
from .http import maps_errors

AdminView = Callable[..., Response]


@dataclass(frozen=True)
class AdminCall:
    """What an admin route works with once its key is checked: the program named in the
    path, the key, and (on a rate-limited route) the key's counter for this minute."""

    ctx: Context
    request: Request
    program: Program
    key: AdminKey
    rate: Tally | None = None


def admin_route(
    bp: Blueprint,
    path: str,
    *,
    methods: list[str],
    write: bool,
    rate_limited: bool = False,
    **options: Any,
) -> Callable[[AdminView], AdminView]:
    """Register `view` on `bp` at `path` (which names `{program}`). Before the view runs, the
    program must exist (404) and the request must carry an admin key for it (401), one with
    write scope when `write` (403). With `rate_limited`, the call counts against the key's
    limit (rate_limits.api) inside the view's own write, so it costs no extra request. Domain
    errors become JSON answers. The view receives an AdminCall and the path's other
    parameters."""

    def register(view: AdminView) -> AdminView:
        @functools.wraps(view)
        def route(program: str, **params: str) -> Response:
            ctx = context()
            request = bp.current_request
            found = ctx.catalogue.get(program)
            key = _authorized(ctx, request, program, write)
            rate = rate_tally(found, "api", key.key_id, ctx.clock.now()) if rate_limited else None
            return view(AdminCall(ctx, request, found, key, rate), **params)

        bp.route(path, methods=methods, **options)(maps_errors(route))
        return view

    return register


def _authorized(ctx: Context, request: Request, program: str, write: bool) -> AdminKey:
    try:
        return authorize(ctx.store, request.headers.get("authorization"), program, write=write)
    except UnauthorizedError as exc:
        hint = settings().admin_key_hint
        if hint:
            raise UnauthorizedError(f"{exc.message} {hint}") from exc
        raise
