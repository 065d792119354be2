"""What the widget shows to people who are not signed in: the QR code of a referral link, and
the referrer's first name on a friend's landing page ("Jane sent you 15% off").

Neither reveals who a referrer is beyond what their shared link already says: the QR code
encodes the public link, and the greeting carries a first name only (never the email).
"""

from __future__ import annotations

import io
from typing import Any

from ...model.codes import normalize_code
from ...model.errors import InvalidInputError, NotFoundError
from ..context import Context
from .discounts import discount_code

GREETING_NAME_MAX = 40


def share_code(raw: str) -> str:
    """The canonical form of a code from a URL; InvalidInputError when it cannot be one."""
    code = normalize_code(raw)
    if code is None:
        raise InvalidInputError(
            f"'{raw[:40]}' is not a referral code (3-32 letters, digits or dashes)."
        )
    return code


def qr_svg(link: str) -> bytes:
    """An SVG QR code of `link` (segno: medium error correction, a quiet zone of 2)."""
    import segno

    qr = segno.make(link, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgclass=None, lineclass=None)
    return out.getvalue()


def public_referrer(ctx: Context, program_id: str, raw_code: str) -> dict[str, Any]:
    """What a referred friend may know about the referrer: the code, a first name and the
    discount code to use at checkout (it is the code, shown in capitals). One GetItem."""
    program = ctx.catalogue.get(program_id)
    code = share_code(raw_code)
    referrer = ctx.store.referrers.get_referrer(code)
    if referrer is None or referrer.program != program.id:
        raise NotFoundError(f"There is no referral code '{code}' in program '{program.id}'.")
    return {
        "code": code,
        "program": program.id,
        "name": greeting_name(referrer.name),
        "discount_code": discount_code(program, code),
    }


def greeting_name(name: str) -> str | None:
    """The first word of a display name; None when there is none, or when it looks like an
    email (people do type their email into a name field)."""
    words = name.split()
    if not words or "@" in words[0]:
        return None
    return words[0][:GREETING_NAME_MAX]
