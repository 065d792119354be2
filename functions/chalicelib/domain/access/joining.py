"""Joining without proof: anyone may ask for the referral link of any email address, so the
answer holds only what is public anyway (the code and the link) and the private stats link
goes to the address itself, by email, at most a few times an hour.

The answer is the same for a new address and a known one (status, fields), and both cost the
same requests: a new referrer's email is written in the transaction that creates them."""

from __future__ import annotations

import secrets
from typing import Any

from ...model.ledger import LimitedMessage
from ...model.program import Program
from ...model.records import Referrer
from ..context import Context, Links
from ..referrals.identity import masked_email, normalize_email
from ..referrals.referrers import issue_code
from ..rewards.events import email_messages
from ..trust.ratelimits import rate_tally

STATS_LINK = "stats_link"


def join(
    ctx: Context, program: Program, body: dict[str, Any], visitor: str, links: Links
) -> dict[str, Any]:
    """Issue (or find) the code of `body["email"]` for a caller nobody vouches for, and mail
    the address its stats link; the body of the answer."""
    email = normalize_email(body.get("email"))

    def mail(referrer: Referrer) -> LimitedMessage | None:
        now = ctx.clock.now()
        nonce = secrets.token_hex(8)  # each request's email is its own outbox message
        found = email_messages(program, STATS_LINK, referrer.code, (nonce,), {}, now)
        tally = rate_tally(program, "join_email", referrer.email_key, now)
        return LimitedMessage(found[0], tally) if found else None

    referrer, _ = issue_code(
        ctx, program.id, body, is_admin=False, visitor=visitor, mail=mail, anonymous=True
    )
    return {
        "code": referrer.code,
        "program": referrer.program,
        "link": links.referral_link(referrer.code),
        "stats_link_sent_to": masked_email(email),
    }
