"""Sign-in links: a customer who lost their stats link asks for one with their email, and the
link in the email shows them their stats page.

- The token (192 bits) is made from a random nonce under the server secret (trust/signing.py):
  the outbox message carries the nonce, the table the token's keyed hash with the program and
  the code, for 30 minutes; neither is the token.
- The answer to a request is the same whether or not the address is known; only a known one
  gets an email. Requests are limited per address and per client address (429).
- Following the link spends nothing: the site's page confirms with a POST, which spends the
  token in one conditional write, so it works once, for its program, before it expires.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from ...model.errors import GoneError, InvalidInputError, NotFoundError
from ...model.program import Program
from ...model.records import SigninLink
from ..context import Context, Links
from ..referrals.identity import masked_email, normalize_email
from ..rewards.events import email_messages
from ..trust.ratelimits import check_rate

SIGN_IN = "sign_in"
SIGNIN_SECONDS = 30 * 60  # the default email texts say "within 30 minutes"
SPENT = "This sign-in link has expired or was already used: ask for a new one."
_TOKEN_RE = re.compile(r"[0-9a-f]{48}")


def send_signin_link(
    ctx: Context, program: Program, body: dict[str, Any], client: str
) -> dict[str, Any]:
    """Email a sign-in link to `body["email"]` if it is a referrer of the program; the body
    of the answer, the same either way. `client` is the caller's address, hashed."""
    if program.incentives.emails is None:
        raise NotFoundError(
            f"Program '{program.id}' sends no emails, so it has no sign-in links: its "
            "customers see their stats from the shop's own site."
        )
    email = normalize_email(body.get("email"))
    check_rate(ctx.store, ctx.clock, program, "signin_client", client)
    email_key = ctx.signer.email_key(program.id, email)
    # Counted for unknown addresses too: a 429 says nothing about who is a customer.
    check_rate(ctx.store, ctx.clock, program, "signin_email", email_key)
    referrer = ctx.store.referrers.find_referrer(program.id, email_key)
    if referrer is not None:
        now = ctx.clock.now()
        nonce = secrets.token_urlsafe(24)
        token = ctx.signer.signin_token(nonce)
        link = SigninLink(
            ctx.signer.signin_hash(token),
            program.id,
            referrer.code,
            now,
            int(now) + SIGNIN_SECONDS,
        )
        merge = {"nonce": nonce}
        [message] = email_messages(program, SIGN_IN, referrer.code, (nonce,), merge, now)
        ctx.store.signins.create_signin(link, message)
    return {"sent_to": masked_email(email)}


def confirm_signin(
    ctx: Context, program: Program, body: dict[str, Any], links: Links
) -> dict[str, Any]:
    """Spend the sign-in token in `body["token"]`: the referrer's stats token and page.
    GoneError (410, one message for every reason) for a token that is spent, expired,
    unknown or another program's."""
    token = body.get("token")
    if not isinstance(token, str) or not token:
        raise InvalidInputError("'token' is required: the t= part of the sign-in link.")
    if not _TOKEN_RE.fullmatch(token):
        raise GoneError(SPENT)  # no token looks like this: nothing to ask the database
    code = ctx.store.signins.spend_signin(
        ctx.signer.signin_hash(token), program.id, ctx.clock.now()
    )
    referrer = ctx.store.referrers.get_referrer(code) if code else None
    if referrer is None or referrer.program != program.id or not referrer.email:
        raise GoneError(SPENT)  # the referrer was forgotten since the link was sent
    stats_token = ctx.signer.stats_token(referrer.code, referrer.token_version)
    return {"stats_token": stats_token, "stats_url": links.stats_url(stats_token)}
