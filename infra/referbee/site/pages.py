"""Renders the page templates of `site/pages` (Jinja, HTML-escaped) for one program.

Every text from referbee.yaml goes into a raw HTML block, escaped, so a program name like
`<b>Beans</b>` shows as written and Markdown never reinterprets an owner's words.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chalicelib.model.program import Program

from .. import KIT_ROOT
from .texts import can_join_by_email, site_texts

TEMPLATES = KIT_ROOT / "site" / "pages"


@dataclass(frozen=True)
class RenderedPages:
    pages: list[str]  # built page paths, relative to the program's site
    nav: list[dict[str, str]]  # mkdocs nav, titles already HTML-escaped
    defaults: tuple[str, ...]


def render_pages(
    program: Program, docs: Path, *, api_url: str, places: dict[str, str]
) -> RenderedPages:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = _paragraphs
    env.filters["count_of"] = count_of
    env.filters["front_matter"] = _front_matter
    texts = site_texts(program)
    public = program.public()
    values: dict[str, Any] = {
        "program": program,
        "texts": texts,
        "tiers": public.get("tiers") or [],
        "api": api_url,
        "depth": places[program.id].count("/"),
        "page_data": json.dumps(_page_data(program, public, places)),
        "success_phrase": "signs up" if program.success_event == "signup" else "buys",
        # Nobody vouches for who asks: customers join with their email address, and their
        # private stats link goes to that address (docs/security.md).
        "join_by_email": can_join_by_email(program),
    }
    sources = ["index.md", "stats/index.md", "signin/index.md", "admin/index.md"]
    if program.site.leaderboard:
        sources.append("leaderboard/index.md")
    for source in sources:
        target = docs / source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(source).render(**values), encoding="utf-8")
    nav = [{html.escape(texts.title): "index.md"}]
    if program.site.leaderboard:
        nav.append({"Leaderboard": "leaderboard/index.md"})
    pages = ["index.html", "stats/index.html", "signin/index.html", "admin/index.html", "404.html"]
    if program.site.leaderboard:
        pages.append("leaderboard/index.html")
    return RenderedPages(pages=pages, nav=nav, defaults=texts.defaults)


def _page_data(program: Program, public: dict[str, Any], places: dict[str, str]) -> dict[str, Any]:
    """What the page scripts need to know about the program (all of it public)."""
    return {
        "id": program.id,
        "name": program.name,
        "currency": program.currency,
        "share_message": program.share_message,
        "rewards": public["rewards"],
        "success_event": program.success_event,
        "leaderboard": program.site.leaderboard,
        "sites": places,
    }


def count_of(value: int, one: str, other: str, locale: str = "en") -> str:
    """'1 successful referral', '2 successful referrals': the number in the locale's format
    and the word its plural rules ask for (English has one and other)."""
    from babel import Locale
    from babel.numbers import format_decimal

    word = one if Locale.parse(locale).plural_form(value) == "one" else other
    return f"{format_decimal(value, locale=locale)} {word}"


def _front_matter(text: str) -> Any:
    """A YAML front-matter value: HTML-escaped (the theme inserts page titles unescaped),
    then JSON-quoted, which YAML reads as one plain string."""
    from markupsafe import Markup

    return Markup(json.dumps(html.escape(text)))  # noqa: S704 - escaped, then quoted


def _paragraphs(text: str) -> Any:
    """Plain text to escaped <p> paragraphs: a blank line starts a new paragraph."""
    from markupsafe import Markup, escape

    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
        for b in blocks
        if b
    )
