"""The words a person reads for the keys of a report's splits: share channels, landing pages
and attribution models. The report carries them as `label` beside each `name`, so the
command line and the dashboard say the same thing."""

from __future__ import annotations

from . import metrics as m

CHANNELS = {
    "direct": "Link copied or typed",
    m.UNKNOWN: "Not known",
    "other": "Another channel",
    "email": "Email",
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "whatsapp": "WhatsApp",
    "linkedin": "LinkedIn",
    "share": "Share sheet",
    "copy": "Copy button",
    "qr": "QR code",
    "sms": "SMS",
    "telegram": "Telegram",
    "messenger": "Messenger",
    "reddit": "Reddit",
    "widget": "Widget",
    "site": "Program site",
}
MODELS = {
    "last_click": "Last click",
    "first_click": "First click",
    "linear": "Linear",
    "time_decay": "Time decay",
    "customer": "Returning customer",
    m.UNKNOWN: "Not known",
}


def label(kind: str, name: str) -> str:
    """kind: ch (channel), pg (landing page) or model."""
    if kind == "ch":
        return CHANNELS.get(name, name.replace("_", " ").capitalize())
    if kind == "model":
        return MODELS.get(name, name.replace("_", " ").capitalize())
    return "Main landing page" if name == m.MAIN_PAGE else f"Landing page '{name}'"
