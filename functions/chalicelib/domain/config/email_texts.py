"""The default texts of a program's emails, in the program's language (its `locale`): English
and French, the widget's two languages; any other language gets English. An owner overrides a
template in the program's `emails:` config, in whatever language they write it."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LANGUAGE = "en"

# The merge fields each template may use (checked when the config is loaded).
REWARD_FIELDS = ("name", "reward", "link", "stats_link", "program", "tier", "badge")
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "reward_earned": REWARD_FIELDS,
    "tier_reached": REWARD_FIELDS,
    "stats_link": ("name", "link", "stats_link", "program"),
    "sign_in": ("name", "link", "signin_link", "program"),
}
# The link an account email exists to carry: its body must hold it.
CARRIED_FIELD = {"stats_link": "stats_link", "sign_in": "signin_link"}


@dataclass(frozen=True)
class EmailTexts:
    """One language's default subject and body of each template, what {name} becomes for a
    referrer who gave none, and the unsubscribe line of reward emails."""

    templates: dict[str, tuple[str, str]]
    unnamed: str
    footer: str


_EN = EmailTexts(
    templates={
        "reward_earned": (
            "You earned {reward}",
            "Hi {name},\n\nA friend you referred to {program} just came through: you earned "
            "{reward}.\n\nKeep sharing your link: {link}\nSee your numbers: {stats_link}\n",
        ),
        "tier_reached": (
            "You reached {tier} at {program}",
            "Hi {name},\n\nYou reached the {tier} tier at {program} ({badge}), and earned "
            "{reward}.\n\nKeep sharing your link: {link}\nSee your numbers: {stats_link}\n",
        ),
        "stats_link": (
            "Your referral link for {program}",
            "Hi {name},\n\nHere is your personal referral link for {program}. Share it with "
            "friends:\n{link}\n\nYour private stats page shows what your link brought. It is "
            "yours alone, so keep this second link to yourself:\n{stats_link}\n\nIf you did "
            "not ask for this, you can ignore this email.\n",
        ),
        "sign_in": (
            "Sign in to {program}",
            "Hi {name},\n\nOpen this link to see your referral stats at {program}:\n"
            "{signin_link}\n\nIt works once, within 30 minutes. If you did not ask to sign "
            "in, you can ignore this email: nothing happens without the link.\n",
        ),
    },
    unnamed="there",
    footer="To stop these emails: {unsubscribe}",
)

_FR = EmailTexts(
    templates={
        "reward_earned": (
            "Vous avez gagné {reward}",
            "Bonjour {name},\n\nUn ami que vous avez parrainé chez {program} vient de passer "
            "à l\u2019action\u00a0: vous avez gagné {reward}.\n\nContinuez à partager votre "
            "lien\u00a0: {link}\nVos statistiques\u00a0: {stats_link}\n",
        ),
        "tier_reached": (
            "Vous avez atteint le niveau {tier} chez {program}",
            "Bonjour {name},\n\nVous avez atteint le niveau {tier} chez {program} ({badge}) "
            "et gagné {reward}.\n\nContinuez à partager votre lien\u00a0: {link}\nVos "
            "statistiques\u00a0: {stats_link}\n",
        ),
        "stats_link": (
            "Votre lien de parrainage {program}",
            "Bonjour {name},\n\nVoici votre lien de parrainage personnel pour {program}. "
            "Partagez-le avec vos amis\u00a0:\n{link}\n\nVotre page de statistiques privée "
            "montre ce que votre lien a rapporté. Elle n\u2019est qu\u2019à vous\u00a0: gardez ce "
            "second lien pour vous.\n{stats_link}\n\nSi vous n\u2019avez rien demandé, ignorez "
            "simplement cet e-mail.\n",
        ),
        "sign_in": (
            "Connexion à {program}",
            "Bonjour {name},\n\nOuvrez ce lien pour voir vos statistiques de parrainage chez "
            "{program}\u00a0:\n{signin_link}\n\nIl ne fonctionne qu\u2019une fois, dans les 30 "
            "minutes. Si vous n\u2019avez pas demandé à vous connecter, ignorez cet e-mail\u00a0: "
            "rien ne se passe sans ce lien.\n",
        ),
    },
    unnamed="à vous",
    footer="Pour ne plus recevoir ces e-mails\u00a0: {unsubscribe}",
)

TEXTS = {"en": _EN, "fr": _FR}


def email_texts(locale: str) -> EmailTexts:
    """The default texts for a locale (`fr`, `fr-CA`...): its language's, else English."""
    return TEXTS.get(language_of(locale), TEXTS[DEFAULT_LANGUAGE])


def language_of(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()
