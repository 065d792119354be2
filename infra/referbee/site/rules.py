"""The rules in force, in words: what earns each side its reward (which event, first purchase
only or every purchase, a minimum amount), the attribution window, the hold period and how
purchases are confirmed. Written from `Program.rules_in_force()`, the data the widget reads
from the program's public info, so the site's terms and the widget say the same thing.
Numbers, money and plurals go through Babel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from babel.units import format_unit

from chalicelib.model.program import Program

LOCALE = "en"


def rules_in_words(program: Program) -> tuple[str, ...]:
    """One sentence per rule in force, in the order a customer asks about them."""
    rules = program.rules_in_force()
    sentences: list[str] = []
    referrer, friend = rules.get("referrer"), rules.get("friend")
    if referrer is not None:
        sentences.append(
            f"You get {program.referrer_reward.text} when a friend you referred "
            f"{event_phrase(referrer, each=True)} within {days(rules['attribution_window_days'])} "
            "of clicking your link."
        )
    if friend is not None:
        sentences.append(
            f"Your friend gets {program.friend_reward.text} when they "
            f"{event_phrase(friend, they=True, each=True)}."
        )
    sentences.append(approval_sentence(program.name, rules))
    return tuple(sentences)


def event_phrase(side: dict[str, Any], *, they: bool = False, each: bool = False) -> str:
    """What a friend does to earn a side its reward: 'signs up', 'makes their first purchase
    of at least €50.00', 'makes a purchase' (`they`: 'make ...'; `each`: says that every
    purchase counts when it does)."""
    verb = ("sign up", "make") if they else ("signs up", "makes")
    if side["event"] == "signup":
        return verb[0]
    first = side["first_purchase_only"]
    phrase = f"{verb[1]} their first purchase" if first else f"{verb[1]} a purchase"
    if side["min_amount"] is not None:
        amount = format_currency(Decimal(str(side["min_amount"])), side["currency"], locale=LOCALE)
        phrase += f" of at least {amount}"
    if each and not first:
        phrase += " (every purchase counts)"
    return phrase


def approval_sentence(name: str, rules: dict[str, Any]) -> str:
    """When a reward is approved: after the shop confirms the order, after the hold period,
    or at once."""
    hold = rules["hold_days"]
    confirmation = rules["confirmation"]
    events = {rules[side]["event"] for side in ("referrer", "friend") if side in rules}
    order = "sign-up" if events == {"signup"} else "order"
    if confirmation == "confirmed":
        if hold:
            return (
                f"A reward is approved once {name} has confirmed the {order} and "
                f"{days(hold)} have passed without a refund."
            )
        return f"A reward is approved once {name} has confirmed the {order}."
    if confirmation == "after_hold":
        return (
            f"A reward is approved once {name} has confirmed the {order}, or {days(hold)} "
            "after it if it was not refunded."
        )
    if hold:
        return f"A reward is approved {days(hold)} after the {order} if it was not refunded."
    return f"A reward is approved as soon as the {order} is reported."


def days(count: int) -> str:
    """'1 day', '14 days'."""
    return str(format_unit(count, "duration-day", locale=LOCALE))
