"""Attribution models: which referral codes get the credit for a conversion, and how much.

A touchpoint is one counted click of a visitor on a code. Only touchpoints inside the
program's attribution window count (from `now - window` up to `now`, plus a minute for clock
skew between servers). docs/attribution.md works through an example of each model.

- `last_click`: the latest touchpoint gets everything.
- `first_click`: the earliest touchpoint gets everything.
- `linear`: every touchpoint weighs the same; a code's share is its touchpoints' weight.
- `time_decay`: a touchpoint's weight halves every `half_life_days` before the conversion.

Shares are rounded to 4 decimals and always add up to exactly 1: the rounding remainder goes
to the primary code (the one with the largest share, which also gets the rewards). Ties are
broken the same way every time: for the largest share, the code touched most recently wins,
then the alphabetically first code; `first_click` and `last_click` break a tie between
touchpoints at the same second by the alphabetically first code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ...model.ledger import Credit, Touch

SHARE_STEP = Decimal("0.0001")
CLOCK_SKEW_SECONDS = 60
MAX_CODES = 10  # a conversion credits at most this many codes: the most recently touched


@dataclass(frozen=True)
class Model:
    name: str = "last_click"
    window_days: int = 30
    half_life_days: Decimal = Decimal(7)


def assign_credit(model: Model, touches: list[Touch], now: float) -> list[Credit]:
    """The credit shares for a conversion at `now`, primary first; [] when no touchpoint is
    inside the window."""
    inside = _inside_window(touches, now, model.window_days)
    if not inside:
        return []
    if model.name == "first_click":
        first = min(inside, key=lambda touch: (touch.at, touch.code))
        return [Credit(first.code, Decimal(1))]
    if model.name == "last_click":
        last = min(inside, key=lambda touch: (-touch.at, touch.code))
        return [Credit(last.code, Decimal(1))]
    weights: dict[str, Decimal] = defaultdict(Decimal)
    for touch in inside:
        weights[touch.code] += _weight(model, touch, now)
    latest = {code: max(t.at for t in inside if t.code == code) for code in weights}
    return _shares(weights, latest)


def split_amount(amount: Decimal, credits: list[Credit], digits: int) -> list[Decimal]:
    """`amount` split by the credit shares, in the currency's minor unit: the other codes'
    parts are rounded down and the primary (first) credit takes the rest, so the parts add
    up to `amount` exactly and the primary never gets less than its share."""
    if not credits:
        return []
    step = Decimal(1).scaleb(-digits)
    parts = [(amount * credit.share).quantize(step, rounding=ROUND_DOWN) for credit in credits]
    parts[0] = amount - sum(parts[1:], Decimal(0))
    return parts


def _inside_window(touches: list[Touch], now: float, window_days: int) -> list[Touch]:
    earliest = now - window_days * 86400
    inside = [t for t in touches if earliest <= t.at <= now + CLOCK_SKEW_SECONDS]
    recent_codes: list[str] = []
    for touch in sorted(inside, key=lambda t: (-t.at, t.code)):
        if touch.code not in recent_codes:
            recent_codes.append(touch.code)
    keep = set(recent_codes[:MAX_CODES])
    return [t for t in inside if t.code in keep]


def _weight(model: Model, touch: Touch, now: float) -> Decimal:
    if model.name == "linear":
        return Decimal(1)
    age_days = Decimal(max(0.0, now - touch.at)) / Decimal(86400)
    return Decimal(2) ** (-age_days / model.half_life_days)


def _shares(weights: dict[str, Decimal], latest: dict[str, float]) -> list[Credit]:
    total = sum(weights.values(), Decimal(0))
    ranked = sorted(weights, key=lambda code: (-weights[code], -latest[code], code))
    shares = [
        (weights[code] / total).quantize(SHARE_STEP, rounding=ROUND_HALF_UP) for code in ranked
    ]
    shares[0] += Decimal(1) - sum(shares, Decimal(0))
    return [Credit(code, share) for code, share in zip(ranked, shares, strict=True) if share > 0]
