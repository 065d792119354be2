"""Emails to referrers: a program's template, filled with merge fields, as a MIME message.

Merge fields: {name}, {reward}, {link}, {stats_link}, {program}, {tier}, {badge} (checked
when the config is loaded). Every email ends with an unsubscribe link and carries the
List-Unsubscribe headers, so mail clients offer one-click unsubscribe (RFC 8058).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any

from ...model.notifications import Emails, EmailTemplate
from ...model.records import Referrer
from ..context import Context, Links
from ..rewards.events import TIER_REACHED

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
    template = emails.tier_reached if template_name == TIER_REACHED else emails.reward_earned
    unsubscribe = unsubscribe_link(ctx, links, referrer.code)
    values = {
        "name": referrer.name or "there",
        "reward": str(merge.get("reward", "")),
        "link": links.referral_link(referrer.code),
        "stats_link": links.stats_url(
            ctx.signer.stats_token(referrer.code, referrer.token_version)
        ),
        "program": program_name,
        "tier": str(merge.get("tier", "")),
        "badge": str(merge.get("badge", "")),
    }
    message = EmailMessage(policy=_POLICY)
    message["From"] = emails.sender
    message["To"] = formataddr((referrer.name, referrer.email))
    if emails.reply_to:
        message["Reply-To"] = emails.reply_to
    message["Subject"] = " ".join(_fill(template.subject, values).split())
    message["Date"] = format_datetime(datetime.fromtimestamp(ctx.clock.now(), UTC))
    message["Message-ID"] = make_msgid(domain=_domain(emails.sender))
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_body(template, values, unsubscribe))
    return message


def unsubscribe_link(ctx: Context, links: Links, code: str) -> str:
    return f"{links.api_base}/v1/unsubscribe/{ctx.signer.unsubscribe_token(code)}"


def _body(template: EmailTemplate, values: dict[str, str], unsubscribe: str) -> str:
    body = _fill(template.body, values).rstrip()
    return f"{body}\n\n--\nTo stop these emails: {unsubscribe}\n"


def _fill(text: str, values: dict[str, str]) -> str:
    # A plain substitution, not str.format: nothing in a template can reach attributes.
    return _FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "referbee.invalid"
