"""Personal discount codes: each referrer's code for their friends, by default their referral
code itself in capitals (or the program's pattern around it, `discount_codes.pattern`). A
purchase that used one names its owner without a click or cookie, on any device (channel
`code`); the codes are matched without regard to case, as shops print them in capitals."""

from __future__ import annotations

from ...model.codes import normalize_code
from ...model.program import Program
from ..context import Context

DISCOUNT_CHANNEL = "code"


def discount_code(program: Program, code: str) -> str:
    """The referrer's personal discount code."""
    return program.discount_codes.code_for(code)


def discount_owner(ctx: Context, program: Program, raw: str) -> str:
    """The referral code of the referrer whose discount code `raw` is ("" when it is not one
    of this program's: a shop's own discounts are left alone). One GetItem when `raw` has the
    shape of one."""
    code = normalize_code(program.discount_codes.referral_code_in(raw) or "")
    if code is None:
        return ""
    referrer = ctx.store.referrers.get_referrer(code)
    return code if referrer is not None and referrer.program == program.id else ""
