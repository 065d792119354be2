"""Issuing referral codes: one per email per program, the same one every time it is asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model.codes import new_code
from ...model.errors import CodeTakenError, ReferrerExistsError, UnavailableError
from ...model.ledger import LimitedMessage
from ...model.records import Referrer
from ..context import Context, Links
from ..trust.lookalikes import canonical_email
from .identity import check_identity, clean_name, normalize_email

_CODE_ATTEMPTS = 5

# The email to send the referrer once they are found or created, if any: a new referrer's
# goes in the transaction that creates them, so a new and a known email cost the same.
MailFor = Callable[[Referrer], LimitedMessage | None]


def issue_code(
    ctx: Context,
    program_id: str,
    body: dict[str, Any],
    *,
    is_admin: bool,
    visitor: str = "",
    mail: MailFor | None = None,
    anonymous: bool = False,
) -> tuple[Referrer, bool]:
    """The referrer for `body["email"]` in the program, created if new. Returns
    (referrer, created). A new referrer keeps the keyed hashes of their canonical email and of
    the browser that asked (`visitor`; not for an admin key's server call), so the
    self-referral rule can recognise them converting on their own link. `mail` makes the
    email to queue for them (under its limit: beyond it, nothing is sent). `anonymous`: the
    caller is answered nothing private (access/joining.py), so no proof of identity is asked."""
    program = ctx.catalogue.get(program_id)
    email = normalize_email(body.get("email"))
    name = clean_name(body.get("name"))
    if not anonymous:
        check_identity(program, email, body.get("signature"), is_admin=is_admin)
    email_key = ctx.signer.email_key(program.id, email)
    existing = ctx.store.referrers.find_referrer(program.id, email_key)
    if existing is not None:
        _queue_mail(ctx, mail, existing)
        return existing, False
    for _ in range(_CODE_ATTEMPTS):
        referrer = Referrer(
            code=new_code(),
            program=program.id,
            email_key=email_key,
            email=email,
            name=name,
            created_at=ctx.clock.now(),
            identity=ctx.signer.identity_key(program.id, canonical_email(email)),
            visitor="" if is_admin else visitor,
        )
        try:
            ctx.store.referrers.create_referrer(referrer, mail(referrer) if mail else None)
        except CodeTakenError:
            continue
        except ReferrerExistsError:
            # Another request for the same email won the race: answer with its code.
            winner = ctx.store.referrers.find_referrer(program.id, email_key, consistent=True)
            if winner is None:
                raise UnavailableError("The referrer could not be read back; try again.") from None
            _queue_mail(ctx, mail, winner)
            return winner, False
        return referrer, True
    raise UnavailableError("No free referral code was found; try again.")


def referrer_view(ctx: Context, referrer: Referrer, links: Links) -> dict[str, Any]:
    """The body of a referrers response to a trusted caller (docs/security.md): with the
    private stats token."""
    token = ctx.signer.stats_token(referrer.code, referrer.token_version)
    return {
        "code": referrer.code,
        "program": referrer.program,
        "name": referrer.name,
        "link": links.referral_link(referrer.code),
        "stats_token": token,
        "stats_url": links.stats_url(token),
    }


def _queue_mail(ctx: Context, mail: MailFor | None, referrer: Referrer) -> None:
    limited = mail(referrer) if mail else None
    if limited is not None:
        ctx.store.outbox.queue_message(limited)
