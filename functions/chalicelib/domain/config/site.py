"""The `site:` and `brand:` sections of a program: the texts of its program site, which pages
it has, and its colour and images.

Texts left out stay None here; `referbee site build` fills them with defaults written from the
program's own rewards and names each one it filled, so the owner knows what to write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...model.site import Brand, Question, SiteSettings
from .fields import FieldReader

SITE_FIELDS = (
    "title",
    "pitch",
    "how_it_works",
    "terms",
    "faq",
    "get_link",
    "privacy",
    "leaderboard",
    "leaderboard_size",
    "widget",
)
TEXT_PLACEHOLDERS = ("program", "friend_reward", "referrer_reward")
_TEXT_LIMITS = {"title": 80, "pitch": 1000, "terms": 5000, "get_link": 600, "privacy": 3000}
_STEP_LIMIT = 200
_MAX_STEPS = 6
_MAX_FAQ = 20
COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
# Brand images are local files copied into the site build (never loaded from another host).
IMAGE_FILE_RE = re.compile(r"[^\x00-\x1f]+\.(svg|png|jpg|jpeg|webp|gif|ico)", re.IGNORECASE)
BRAND_FIELDS = ("primary_color", "logo", "favicon")


def parse_site(reader: FieldReader, raw: Any, path: str) -> SiteSettings:
    data = reader.mapping(raw, path)
    reader.only_known(data, SITE_FIELDS, path)
    texts = {
        name: _template_text(reader, data, name, path, limit)
        for name, limit in _TEXT_LIMITS.items()
    }
    return SiteSettings(
        title=texts["title"],
        pitch=texts["pitch"],
        how_it_works=_steps(reader, data.get("how_it_works"), f"{path}.how_it_works"),
        terms=texts["terms"],
        faq=_questions(reader, data.get("faq"), f"{path}.faq"),
        get_link=texts["get_link"],
        privacy=texts["privacy"],
        leaderboard=reader.boolean(data, "leaderboard", path, default=False),
        leaderboard_size=reader.integer(
            data, "leaderboard_size", path, default=10, low=3, high=100
        ),
        widget=reader.boolean(data, "widget", path, default=False),
    )


def parse_brand(reader: FieldReader, raw: Any, path: str) -> Brand:
    data = reader.mapping(raw, path)
    reader.only_known(data, BRAND_FIELDS, path)
    color = reader.text(
        data,
        "primary_color",
        path,
        default=Brand.primary_color,
        pattern=COLOR_RE,
        pattern_hint="must be a color like #3f51b5",
    )
    images = {name: _image_file(reader, data, name, path) for name in ("logo", "favicon")}
    return Brand(primary_color=color.lower(), logo=images["logo"], favicon=images["favicon"])


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace {program}, {friend_reward} and {referrer_reward} in a site text."""
    return re.sub(r"{([a-z_]+)}", lambda m: values.get(m.group(1), m.group(0)), text)


def _image_file(reader: FieldReader, data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = reader.optional_text(data, key, path, max_len=300)
    if value is None:
        return None
    if "://" in value or value.startswith("//"):
        reader.fail(f"{path}.{key}", f"'{value}' must be a local image file, not a URL")
        return None
    if not IMAGE_FILE_RE.fullmatch(value):
        reader.fail(
            f"{path}.{key}",
            f"'{value}' must be the path of a .svg, .png, .jpg, .webp, .gif or .ico file",
        )
        return None
    return value


def _template_text(
    reader: FieldReader, data: Mapping[str, Any], key: str, path: str, limit: int
) -> str | None:
    text = reader.optional_text(data, key, path, max_len=limit)
    if text is not None:
        reader.placeholders(text, f"{path}.{key}", TEXT_PLACEHOLDERS)
    return text


def _steps(reader: FieldReader, raw: Any, path: str) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not 1 <= len(raw) <= _MAX_STEPS:
        reader.fail(path, f"must be a list of 1 to {_MAX_STEPS} steps (texts)")
        return None
    steps: list[str] = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        if not isinstance(item, str) or not item.strip():
            reader.fail(where, "must be a non-empty text")
            continue
        if len(item.strip()) > _STEP_LIMIT:
            reader.fail(where, f"must be at most {_STEP_LIMIT} characters")
        reader.placeholders(item, where, TEXT_PLACEHOLDERS)
        steps.append(item.strip())
    return tuple(steps)


def _questions(reader: FieldReader, raw: Any, path: str) -> tuple[Question, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) > _MAX_FAQ:
        reader.fail(path, f"must be a list of at most {_MAX_FAQ} {{question, answer}} entries")
        return None
    questions: list[Question] = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        entry = reader.mapping(item, where)
        if not entry:
            reader.fail(where, "must have a question and an answer")
            continue
        reader.only_known(entry, ("question", "answer"), where)
        question = reader.text(entry, "question", where, max_len=200)
        answer = reader.text(entry, "answer", where, max_len=2000)
        reader.placeholders(question, f"{where}.question", TEXT_PLACEHOLDERS)
        reader.placeholders(answer, f"{where}.answer", TEXT_PLACEHOLDERS)
        questions.append(Question(question, answer))
    return tuple(questions)
