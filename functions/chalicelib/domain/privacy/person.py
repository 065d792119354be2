"""A person's data: everything referbee holds about an email (export), and erasing it (forget)
while anonymous aggregate counts keep their values. docs/privacy.md lists what is stored.

Where a person can appear, and how forget treats it:
- as a referrer: their referrer item (email, name, hashed identities) and email index item:
  the email, name and hashes are removed, the index deleted; the code, its counters, rewards
  and successful referrals stay (they are anonymous without the person), and their old stats
  link stops working;
- as a customer (a referred friend): conversions that named their email hold only keyed hashes
  of it, found through their person index; the hashes are removed, the counts stay;
- fraud tallies, rate limits counted per address (sign-in links, join emails) and
  first-purchase markers keyed by their hashes are deleted;
- reward emails: the address is read when an email is sent, never stored in the outbox; an
  erased referrer's queued emails are skipped. In `referbee dev` the .eml files written to
  them are deleted.
"""

from __future__ import annotations

from typing import Any, Protocol

from ...model.clock import iso
from ...model.errors import InvalidInputError
from ...model.program import Program
from ...model.records import Referrer
from ..analytics.stats import stats_view
from ..context import Context, Links
from ..conversions.flow import conversion_view
from ..referrals.identity import normalize_email
from ..rewards.views import reward_view
from ..trust.lookalikes import canonical_email
from ..trust.ratelimits import address_tallies


class MailFolder(Protocol):
    def forget(self, address: str) -> int:
        """Delete stored emails to `address`; how many."""
        ...


def forget_person(
    ctx: Context, program: Program, raw_email: object, mail: MailFolder | None = None
) -> dict[str, Any]:
    """Erase what the program holds about this email; a summary of what was erased."""
    email, identity, customer_key = _keys(ctx, program, raw_email)
    referrer = _referrer(ctx, program, email)
    if referrer is not None:
        ctx.store.privacy.erase_referrer(referrer.code, program.id, referrer.email_key)
    orders = ctx.store.privacy.person_orders(program.id, identity)
    for event, order_id in orders:
        conversion = ctx.store.conversions.get_conversion(program.id, event, order_id)
        if conversion is not None:
            ctx.store.privacy.erase_customer(conversion)
    ctx.store.privacy.forget_identity(program.id, identity, customer_key)
    email_key = ctx.signer.email_key(program.id, email)
    ctx.store.privacy.erase_tallies(address_tallies(program, email_key, ctx.clock.now()))
    files = mail.forget(email) if mail is not None else 0
    return {
        "program": program.id,
        "referrer": referrer.code if referrer else None,
        "conversions": len(orders),
        "emails_deleted": files,
    }


def export_person(
    ctx: Context, program: Program, raw_email: object, links: Links
) -> dict[str, Any]:
    """Everything the program holds about this email, as JSON."""
    email, identity, _ = _keys(ctx, program, raw_email)
    found: dict[str, Any] = {"program": program.id, "email": email, "referrer": None}
    referrer = _referrer(ctx, program, email)
    if referrer is not None:
        page = ctx.store.referrers.read_referrer_page(referrer.code)
        if page is not None:
            stored, months, rewards = page
            found["referrer"] = {
                "email": stored.email,
                "name": stored.name,
                "created_at": iso(stored.created_at),
                "email_opt_out": stored.email_opt_out,
                "stats": stats_view(stored, months, links),
                "rewards": [reward_view(r) for r in rewards],
            }
    conversions = []
    for event, order_id in ctx.store.privacy.person_orders(program.id, identity):
        conversion = ctx.store.conversions.get_conversion(program.id, event, order_id)
        if conversion is not None:
            conversions.append(conversion_view(conversion))
    found["conversions_as_customer"] = conversions
    return found


def _keys(ctx: Context, program: Program, raw_email: object) -> tuple[str, str, str]:
    email = normalize_email(raw_email)
    canonical = canonical_email(email)
    if not canonical:
        raise InvalidInputError("'email' is not a valid address.")
    identity = ctx.signer.identity_key(program.id, canonical)
    customer_key = "c" + ctx.signer.customer_key(program.id, email)
    return email, identity, customer_key


def _referrer(ctx: Context, program: Program, email: str) -> Referrer | None:
    found = ctx.store.referrers.find_referrer(program.id, ctx.signer.email_key(program.id, email))
    return ctx.store.referrers.get_referrer(found.code) if found else None
