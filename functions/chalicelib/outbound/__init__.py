"""How messages leave referbee: webhooks over HTTPS, emails through Amazon SES (or as .eml
files in a folder, for `referbee dev`). Like store/, this is an edge of the system: the domain
only sees the `Outbound` protocol (domain/outbox/dispatch.py)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from .mail import EmlOutbox, SesMailer
from .webhooks import post_json


class Outbound:
    def __init__(self, *, outbox_dir: Path | None, region: str) -> None:
        self._mailer: EmlOutbox | SesMailer = (
            EmlOutbox(outbox_dir) if outbox_dir is not None else SesMailer(region)
        )

    def post_webhook(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        return post_json(url, body, headers)

    def send_email(self, message: EmailMessage) -> None:
        self._mailer.send(message)

    def forget(self, address: str) -> int:
        return self._mailer.forget(address)
