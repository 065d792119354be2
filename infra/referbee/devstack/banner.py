"""What `referbee dev` prints when it is up: where everything is, the admin key, the snippet
to embed and how a shop's server confirms a purchase."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Addresses:
    api: str
    site: str
    admin_key: str
    key_origin: str
    database: str
    table: str
    snapshot: Path
    outbox: Path


def print_banner(
    at: Addresses, program: str, say: Callable[[str], object], more: list[str] | None = None
) -> None:
    """`more`: lines of other parts (payments' webhook addresses), before the last one."""
    say("")
    say("referbee dev is running")
    say(f"  API          {at.api}")
    say(f"  Site         {at.site}/")
    say(f"  Demo shop    {at.site}/shop/  (customers Jane and her friend Sam)")
    say(f"  Analytics    {at.site}/admin/  (sign in with the admin key)")
    say(f"  Admin key    {at.admin_key}  ({at.key_origin})")
    say(f"  DynamoDB     {at.database}  (table {at.table})")
    say(f"  Data         {at.snapshot}")
    say(f"  Emails       {at.outbox}  (.eml files)")
    say("")
    say("Embed the widget on your site:")
    say(
        f'  <script async src="{at.site}/widget/referbee.js" data-api="{at.api}" '
        f'data-program="{program}"></script>'
    )
    say("  <div data-referbee-panel></div>")
    say("")
    say("Purchases the widget reports wait for your server to confirm them (docs/security.md):")
    say(
        f"  curl -X POST {at.api}/v1/programs/{program}/conversions "
        f'-H "Authorization: Bearer $REFERBEE_ADMIN_KEY" -H "Content-Type: application/json" '
        f"""-d '{{"event": "purchase", "order_id": "1001", "amount": 36.50}}'"""
    )
    say("")
    for line in more or []:
        say(line)
    say("Press Ctrl-C to stop.")
