"""The words of a program site: what the owner wrote in `site:`, else defaults written from
the program's own name and rewards. Every default used is named, so `referbee site build` can
tell the owner which texts are still the kit's and not theirs."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.config.site import fill_placeholders
from chalicelib.model.program import Program
from chalicelib.model.site import Question

from .rules import approval_sentence, event_phrase, rules_in_words


@dataclass(frozen=True)
class SiteTexts:
    title: str
    pitch: str
    how_it_works: tuple[str, ...]
    terms: str
    faq: tuple[Question, ...]
    get_link: str
    privacy: str
    defaults: tuple[str, ...]  # the `site.*` fields filled with a default
    rules: tuple[str, ...] = ()  # the rules in force, in words (always from the config)


def site_texts(program: Program) -> SiteTexts:
    site = program.site
    values = {
        "program": program.name,
        "friend_reward": program.friend_reward.text,
        "referrer_reward": program.referrer_reward.text,
    }
    defaults: list[str] = []

    def chosen(name: str, written: str | None, default: str) -> str:
        if written is None:
            defaults.append(f"site.{name}")
            return default
        return fill_placeholders(written, values)

    event = _success_phrase(program)
    rules = rules_in_words(program)
    get_link = chosen("get_link", site.get_link, _get_link_default(program))
    steps = site.how_it_works
    if steps is None:
        defaults.append("site.how_it_works")
        steps = (
            "Get your personal referral link.",
            "Share it with friends by email, message or on social media.",
            # The rewards' texts are the owner's words for each side ("15% off your first
            # order" speaks to the friend): quoted, so they read as names, not as sentences.
            f"When a friend {event} through your link, they get “{values['friend_reward']}” "
            f"and you get “{values['referrer_reward']}”.",
        )
    else:
        steps = tuple(fill_placeholders(step, values) for step in steps)
    faq = site.faq
    if faq is None:
        defaults.append("site.faq")
        faq = _default_faq(program, get_link, event)
    else:
        faq = tuple(
            Question(fill_placeholders(q.question, values), fill_placeholders(q.answer, values))
            for q in faq
        )
    return SiteTexts(
        title=chosen("title", site.title, "Refer a friend"),
        pitch=chosen(
            "pitch",
            site.pitch,
            f"Share {program.name} with your friends: they get “{values['friend_reward']}”, "
            f"and you get “{values['referrer_reward']}” for every friend who {event}.",
        ),
        how_it_works=steps,
        terms=_terms(
            chosen(
                "terms",
                site.terms,
                f"Referring yourself does not count. {program.name} may change or end this "
                "program at any time; rewards you have already earned are kept.",
            ),
            rules,
        ),
        faq=faq,
        get_link=get_link,
        privacy=chosen(
            "privacy",
            site.privacy,
            f"When you join, {program.name} keeps your email address and the name you give, to "
            "send you your referral link, your private stats link and your rewards. Your stats "
            "page is private: only the link sent to your email address opens it. Clicks on "
            "your link are counted without keeping your friends' IP addresses.\n\n"
            f"You can ask {program.name} for a copy of what it keeps about you, or to erase it, "
            "at any time.",
        ),
        defaults=tuple(defaults),
        rules=rules,
    )


def can_join_by_email(program: Program) -> bool:
    """A program that can email the stats link lets anyone join from its page: without
    identity_secret it must send emails; with one, only if it does."""
    return program.identity_secret is None or program.incentives.emails is not None


def _get_link_default(program: Program) -> str:
    if can_join_by_email(program):
        return (
            "Enter your email address: your personal link appears at once, ready to share, and "
            "the link to your private stats page comes by email."
        )
    return (
        f"Sign in to your account at {program.name} and open the “Refer a friend” panel: "
        "your personal link and the link to your stats page are there."
    )


def _terms(written: str, rules: tuple[str, ...]) -> str:
    """The rules in force, then the owner's terms (or the default ones): whatever the owner
    wrote, the site states the rules the program applies."""
    return " ".join(rules) + "\n\n" + written


def _success_phrase(program: Program) -> str:
    referrer = program.rules_in_force().get("referrer")
    return event_phrase(referrer) if referrer else "signs up"


def _default_faq(program: Program, get_link: str, event: str) -> tuple[Question, ...]:
    rules = program.rules_in_force()
    return (
        Question("Where do I find my referral link?", get_link),
        Question(
            "How do I know whether my link works?",
            "Your private stats page counts every click on your link, and every sign-up and "
            "purchase it brings, day by day. Keep its link to yourself: anyone with it can "
            "see your numbers.",
        ),
        Question(
            "When do I get my reward?",
            f"When a friend {event} through your link, you get "
            f"{program.referrer_reward.text}. {approval_sentence(program.name, rules)} "
            "Your stats page shows it, pending until then.",
        ),
    )
