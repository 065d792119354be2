"""Email delivery: Amazon SES (sesv2, raw MIME) in production; in `referbee dev`, .eml files in
the outbox folder, which any mail program opens."""

from __future__ import annotations

import re
import threading
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from ..model.errors import DeliveryError


class EmlOutbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9.@_-]", "", str(message["Message-ID"]))[:120] or "message"
        partial = self.folder / f".{name}.tmp"
        partial.write_bytes(message.as_bytes())
        partial.replace(self.folder / f"{name}.eml")

    def forget(self, address: str) -> int:
        """Delete every stored email to `address` (a person asked to be forgotten)."""
        from email import message_from_bytes

        wanted = address.strip().lower()
        deleted = 0
        for path in sorted(self.folder.glob("*.eml")) if self.folder.exists() else []:
            message = message_from_bytes(path.read_bytes())
            recipients = [a.lower() for _, a in getaddresses([str(message.get("To", ""))])]
            if wanted in recipients:
                path.unlink(missing_ok=True)
                deleted += 1
        return deleted


class SesMailer:
    """Sends through SES v2. The client is created on first use, never at import: a cold
    start that sends no email does not pay for it."""

    def __init__(self, region: str) -> None:
        self._region = region
        self._client: Any = None
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        recipients = [address for _, address in getaddresses([str(message["To"])])]
        try:
            self._ses().send_email(
                FromEmailAddress=str(message["From"]),
                Destination={"ToAddresses": recipients},
                Content={"Raw": {"Data": message.as_bytes()}},
            )
        except (ClientError, BotoCoreError) as exc:
            raise DeliveryError(f"SES refused the email ({exc})") from exc

    def forget(self, address: str) -> int:
        """SES keeps no copy referbee could delete."""
        return 0

    def _ses(self) -> Any:
        with self._lock:
            if self._client is None:
                import boto3

                self._client = boto3.client("sesv2", region_name=self._region)
            return self._client
