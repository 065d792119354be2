"""Notification settings of a program: webhook endpoints and emails (templates with merge
fields, defaults in the program's language: email_texts.py), validated like the rest of
referbee.yaml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...model.notifications import TEMPLATES, Emails, EmailTemplate, Webhook
from .email_texts import CARRIED_FIELD, TEMPLATE_FIELDS, EmailTexts, email_texts
from .fields import FieldReader, url_problem

WEBHOOK_EVENTS = (
    "conversion.created",
    "conversion.refunded",
    "reward.issued",
    "reward.approved",
    "reward.voided",
    "referrer.tier_reached",
)
MAX_WEBHOOKS = 5


def parse_webhooks(reader: FieldReader, raw: Any, path: str) -> tuple[Webhook, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.fail(path, "must be a list of {url, secret, events}")
        return ()
    if len(raw) > MAX_WEBHOOKS:
        reader.fail(path, f"at most {MAX_WEBHOOKS} webhook endpoints per program")
    hooks: list[Webhook] = []
    for index, item in enumerate(raw[:MAX_WEBHOOKS]):
        where = f"{path}[{index}]"
        data = reader.mapping(item, where)
        reader.only_known(data, ("url", "secret", "events"), where)
        url = reader.text(data, "url", where, max_len=2000)
        problem = url_problem(url) if url else None
        if problem:
            reader.fail(f"{where}.url", problem)
        secret = reader.text(data, "secret", where, max_len=200)
        if secret and len(secret) < 16:
            reader.fail(f"{where}.secret", "must be at least 16 characters long")
        events = _webhook_events(reader, data.get("events"), f"{where}.events")
        if any(hook.url == url for hook in hooks):
            reader.fail(f"{where}.url", "is listed twice")
        hooks.append(Webhook(url=url, secret=secret, events=events))
    return tuple(hooks)


def _webhook_events(reader: FieldReader, raw: Any, path: str) -> tuple[str, ...]:
    if raw is None:
        return WEBHOOK_EVENTS
    if not isinstance(raw, list) or not raw:
        reader.fail(path, f"must be a list of events from {', '.join(WEBHOOK_EVENTS)}")
        return ()
    for event in raw:
        if event not in WEBHOOK_EVENTS:
            reader.fail(path, f"'{event}' is not one of {', '.join(WEBHOOK_EVENTS)}")
    return tuple(event for event in WEBHOOK_EVENTS if event in raw)


def parse_emails(reader: FieldReader, raw: Any, path: str, locale: str = "en") -> Emails | None:
    if raw is None:
        return None
    data = reader.mapping(raw, path)
    reader.only_known(data, ("from", "reply_to", *TEMPLATES), path)
    sender = reader.text(data, "from", path, max_len=200)
    if sender and not re.search(r"[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}>?$", sender, re.IGNORECASE):
        reader.fail(f"{path}.from", f"'{sender}' is not an address like 'Shop <hi@shop.com>'")
    reply_to = reader.optional_text(data, "reply_to", path, max_len=200)
    texts = email_texts(locale)
    found = {name: _template(reader, data, name, path, texts) for name in TEMPLATES}
    return Emails(
        sender=sender,
        reply_to=reply_to,
        reward_earned=found["reward_earned"],
        tier_reached=found["tier_reached"],
        stats_link=found["stats_link"],
        sign_in=found["sign_in"],
        unnamed=texts.unnamed,
        footer=texts.footer,
    )


def _template(
    reader: FieldReader, data: Mapping[str, Any], key: str, path: str, texts: EmailTexts
) -> EmailTemplate:
    where = f"{path}.{key}"
    default = texts.templates[key]
    raw = reader.mapping(data.get(key), where)
    reader.only_known(raw, ("subject", "body"), where)
    subject = reader.text(raw, "subject", where, default=default[0], max_len=200)
    body = reader.text(raw, "body", where, default=default[1], max_len=10_000)
    for part, text in (("subject", subject), ("body", body)):
        reader.placeholders(text, f"{where}.{part}", TEMPLATE_FIELDS[key], "merge field")
    carried = CARRIED_FIELD.get(key)
    if carried and f"{{{carried}}}" not in body:
        reader.fail(f"{where}.body", f"must contain {{{carried}}}: the email is sent to carry it")
    return EmailTemplate(subject=subject, body=body)
