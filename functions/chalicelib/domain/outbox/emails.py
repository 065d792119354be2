"""Emails to referrers: a program's template, filled with merge fields, as a MIME message.

Merge fields: {name}, {reward}, {link}, {stats_link}, {program}, {tier}, {badge}, and
{signin_link} in sign-in emails (each template's fields are checked when the config is
loaded: domain/config/email_texts.py). Reward emails end with an unsubscribe link and carry
the List-Unsubscribe headers, so mail clients offer one-click unsubscribe (RFC 8058). Account
emails (the stats link after joining, a sign-in link) are sent because someone asked for them
with the address: they carry neither.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any

from ...model.notifications import ACCOUNT_TEMPLATES, Emails
from ...model.records import Referrer
from ..context import Context, Links

_FIELD = re.compile(r"{(\w+)}")
# Long headers (the unsubscribe URL) stay on one line: folded URLs confuse some mail clients.
_POLICY = default.clone(max_line_length=998)


def render_email(
    ctx: Context,
    emails: Emails,
    template_name: str,
    merge: dict[str, Any],
    referrer: Referrer,
    links: Links,
    *,
    program_name: str,
) -> EmailMessage:
    """The email `template_name` to `referrer`. `merge` holds what was known when it was
    queued (a reward, a tier; a sign-in link's nonce); the rest is read now."""
    template = emails.template(template_name)
    values = _values(ctx, emails, merge, referrer, links, program_name)
    message = EmailMessage(policy=_POLICY)
    message["From"] = emails.sender
    message["To"] = formataddr((referrer.name, referrer.email))
    if emails.reply_to:
        message["Reply-To"] = emails.reply_to
    message["Subject"] = " ".join(_fill(template.subject, values).split())
    message["Date"] = format_datetime(datetime.fromtimestamp(ctx.clock.now(), UTC))
    message["Message-ID"] = make_msgid(domain=_domain(emails.sender))
    body = _fill(template.body, values).rstrip()
    if template_name in ACCOUNT_TEMPLATES:
        message.set_content(f"{body}\n")
        return message
    unsubscribe = unsubscribe_link(ctx, links, referrer.code)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = _fill(emails.footer, {"unsubscribe": unsubscribe})
    message.set_content(f"{body}\n\n--\n{footer}\n")
    return message


def unsubscribe_link(ctx: Context, links: Links, code: str) -> str:
    return f"{links.api_base}/v1/unsubscribe/{ctx.signer.unsubscribe_token(code)}"


def _values(
    ctx: Context,
    emails: Emails,
    merge: dict[str, Any],
    referrer: Referrer,
    links: Links,
    program_name: str,
) -> dict[str, str]:
    token = ctx.signer.stats_token(referrer.code, referrer.token_version)
    values = {
        "name": referrer.name or emails.unnamed,
        "reward": str(merge.get("reward", "")),
        "link": links.referral_link(referrer.code),
        "stats_link": links.stats_url(token),
        "program": program_name,
        "tier": str(merge.get("tier", "")),
        "badge": str(merge.get("badge", "")),
    }
    nonce = merge.get("nonce")
    if isinstance(nonce, str) and nonce:
        signin = ctx.signer.signin_token(nonce)
        values["signin_link"] = links.signin_url(referrer.program, signin)
    return values


def _fill(text: str, values: dict[str, str]) -> str:
    # A plain substitution, not str.format: nothing in a template can reach attributes.
    return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "referbee.invalid"
