"""Rotating a referrer's stats token: the admin API's answer to a stats link that leaked. The
token carries a version (trust/signing.py); the referrer's version moves one up, and every
token of an older version stops working at once, with no list of revoked tokens to keep."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...model.codes import normalize_code
from ...model.errors import InvalidInputError, NotFoundError, UnavailableError
from ...model.program import Program
from ...model.records import Referrer
from ..context import Context, Links
from ..referrals.identity import normalize_email

_ATTEMPTS = 3  # a rotation only fails its condition when another one moved the version


def rotate_stats_token(
    ctx: Context, program: Program, body: dict[str, Any], links: Links
) -> dict[str, Any]:
    """Give the referrer named by `body` ({"email"} or {"ref"}) a new stats token; the body
    of the answer, with the new token and stats page."""
    referrer = _referrer(ctx, program, body)
    for _ in range(_ATTEMPTS):
        if ctx.store.referrers.rotate_token(referrer):
            rotated = replace(referrer, token_version=referrer.token_version + 1)
            token = ctx.signer.stats_token(rotated.code, rotated.token_version)
            return {"code": rotated.code, "stats_token": token, "stats_url": links.stats_url(token)}
        referrer = _read_again(ctx, referrer)
    raise UnavailableError("The stats token is being changed by another request; try again.")


def _referrer(ctx: Context, program: Program, body: dict[str, Any]) -> Referrer:
    email, ref = body.get("email"), body.get("ref")
    if ("email" in body) == ("ref" in body):  # a null counts as sent: it is not a string
        raise InvalidInputError("Send either 'email' or 'ref' (the referral code): one of them.")
    if "email" in body:
        key = ctx.signer.email_key(program.id, normalize_email(email))
        found = ctx.store.referrers.find_referrer(program.id, key)
        if found is None:
            raise NotFoundError(f"There is no referrer with this email in program '{program.id}'.")
        return found
    code = normalize_code(ref) if isinstance(ref, str) else None
    if code is None:
        raise InvalidInputError("'ref' must be a referral code (3-32 letters, digits or dashes).")
    referrer = ctx.store.referrers.get_referrer(code)
    if referrer is None or referrer.program != program.id:
        raise NotFoundError(f"There is no referral code '{code}' in program '{program.id}'.")
    return referrer


def _read_again(ctx: Context, referrer: Referrer) -> Referrer:
    """The referrer as it is now (a strongly consistent read of its email index, which
    rotations keep in step); a forgotten one has only its code item."""
    found: Referrer | None = None
    if referrer.email_key:
        found = ctx.store.referrers.find_referrer(
            referrer.program, referrer.email_key, consistent=True
        )
    else:
        found = ctx.store.referrers.get_referrer(referrer.code)
    if found is None:
        raise NotFoundError(f"The referrer '{referrer.code}' is gone.")
    return found
