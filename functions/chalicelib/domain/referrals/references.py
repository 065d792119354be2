"""A referral carried through a payment provider: the widget puts it in a Stripe Payment
Link's or Checkout's `client_reference_id` (or a server puts `referbee.clickId()` there, or
in a session's `metadata.referbee`), and a Shopify order carries it in its note attributes
or landing URL. Stripe accepts only letters, digits, `-` and `_` there, at most 200
characters, and a click id has dots: each `.` is written `X`, which no part of a click id
holds (they are lower-case). A bare referral code is carried as it is."""

from __future__ import annotations

import re

from ...model.codes import normalize_code
from ..trust.signing import MAX_CLICK_ID, ClickId, Signer

DOT = "X"
REFERENCE_RE = re.compile(r"[A-Za-z0-9_-]{1,200}")


def reference_for(click_id: str) -> str:
    """What `client_reference_id` carries for a click id (the widget does the same)."""
    return click_id.replace(".", DOT)


def read_reference(signer: Signer, raw: object) -> tuple[str, str, ClickId | None]:
    """(the referral code, the click id, the click) a reference names: a click id (in
    either form; its signature checked) or a bare code (no click); ("", "", None) when it
    is neither."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_CLICK_ID:
        return "", "", None
    value = raw.strip()
    if DOT in value or "." in value:
        click_id = value.replace(DOT, ".")
        click = signer.read_click_id(click_id)
        return (click.code, click_id, click) if click else ("", "", None)
    return normalize_code(value) or "", "", None
