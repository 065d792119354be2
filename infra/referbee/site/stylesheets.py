"""mkdocs-material's stylesheets, pruned to what a built site can use.

The theme ships one stylesheet for every feature it has (137 KB; 23 KB gzipped), and the
program site uses a few of them. After the build, a rule is dropped when one of its selectors'
class names, ids, element names or attribute names and values appears nowhere in the site's
pages and scripts: no element can ever match it. A selector list keeps the selectors that can
match. The stylesheets are parsed with tinycss2 (a CSS Syntax Level 3 parser), so at-rules,
strings and escapes are read as a browser reads them; `@media` and `@supports` blocks are
pruned inside, every other at-rule (`@font-face`, `@keyframes`, `@property`) is kept whole.

Only the theme's files are pruned (`assets/stylesheets/`): the site's own stylesheet holds
classes that its scripts build from parts, which a token search cannot see.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

THEME_STYLESHEETS = "assets/stylesheets"
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_NAMED = re.compile(r"[.#]((?:[A-Za-z0-9_-]|\\.)+)")  # .class and #id
_ATTRIBUTE = re.compile(r"\[\s*([A-Za-z_-][A-Za-z0-9_-]*)\s*(?:[~|^$*]?=\s*[\"']?([^\"'\]\s]+))?")
_NOT_AN_ELEMENT = re.compile(r"\[[^\]]*\]|\([^)]*\)|::?[A-Za-z-]+|[.#](?:[A-Za-z0-9_-]|\\.)+")
_ELEMENT = re.compile(r"(?<![A-Za-z0-9_-])([a-z][a-z0-9]*)(?![A-Za-z0-9_-])")
_ARGUMENTS = re.compile(r"\([^()]*\)")  # a functional pseudo-class's arguments, innermost first
_GROUPS = ("media", "supports", "layer", "container")


def prune_theme_stylesheets(site_dir: Path) -> dict[str, tuple[int, int]]:
    """Prune the theme's stylesheets of `site_dir`; their sizes before and after. A pruned
    file takes a name of its own content's hash, and the pages are pointed at it: the theme's
    names are cached as immutable, and another site's pruning must never be served for them."""
    words = _words(site_dir)
    sizes: dict[str, tuple[int, int]] = {}
    renamed: dict[str, str] = {}
    for path in sorted((site_dir / THEME_STYLESHEETS).glob("*.css")):
        before = path.read_text(encoding="utf-8")
        after = prune_stylesheet(before, words)
        digest = hashlib.sha256(after.encode()).hexdigest()[:8]
        name = f"{path.name.split('.')[0]}.{digest}.min.css"
        path.unlink()
        (path.parent / name).write_text(after, encoding="utf-8")
        renamed[path.name] = name
        sizes[name] = (len(before.encode()), len(after.encode()))
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        pointed = text
        for old, new in renamed.items():
            pointed = pointed.replace(f"{THEME_STYLESHEETS}/{old}", f"{THEME_STYLESHEETS}/{new}")
        if pointed != text:
            page.write_text(pointed, encoding="utf-8")
    return sizes


def prune_stylesheet(css: str, words: set[str]) -> str:
    """`css` without the rules that no element made of `words` can match."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "".join(_rules(rules, words))


def can_match(selector: str, words: set[str]) -> bool:
    """Whether every name a selector needs (class, id, element, attribute and its value)
    is somewhere in the site. What is inside :not(), :is(), :where() or :has() is not
    needed (`:not(.x)` matches without any .x), so it is left out of the test."""
    while True:
        outer = _ARGUMENTS.sub("", selector)
        if outer == selector:
            break
        selector = outer
    names = [name.replace("\\", "") for name in _NAMED.findall(selector)]
    for attribute, value in _ATTRIBUTE.findall(selector):
        names.append(attribute)
        if _WORD.fullmatch(value):  # a value of other characters cannot be looked for
            names.append(value)
    names += _ELEMENT.findall(_NOT_AN_ELEMENT.sub(" ", selector))
    return all(name in words for name in names)


def _rules(rules: Iterable[Any], words: set[str]) -> list[str]:
    import tinycss2

    kept: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split(tinycss2.serialize(rule.prelude)) if can_match(s, words)]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
        elif (
            rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPS
        ):
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            body = _rules(inner, words)
            if body:
                prelude = tinycss2.serialize(rule.prelude)
                kept.append(f"@{rule.at_keyword}{prelude}{{{''.join(body)}}}")
        else:
            kept.append(tinycss2.serialize([rule]))
    return kept


def _split(selectors: str) -> list[str]:
    """A selector list at its top-level commas (not those inside :is(...) or [attr="a,b"])."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for at, char in enumerate(selectors):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(selectors[start:at].strip())
            start = at + 1
    parts.append(selectors[start:].strip())
    return [part for part in parts if part]


def _words(site_dir: Path) -> set[str]:
    """Every word of the site's pages and scripts: what an element, class or attribute may be."""
    words: set[str] = set()
    for path in site_dir.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words
