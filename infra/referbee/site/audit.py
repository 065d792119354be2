"""Checks a built site before anyone sees it: nothing in it may point the browser at a host
other than the referbee API, and every file a page refers to must be in the build.

What counts as a reference is read precisely, per file type: in HTML every attribute value
(except XML namespace names, which are identifiers and never fetched) and the code of inline
scripts and styles, not the visible text; in CSS everything outside comments, with `data:`
URIs (icons inlined by the theme) set aside; in JavaScript everything outside comments.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

TEXT_TYPES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".webmanifest", ".txt"}
ABSOLUTE_URL = re.compile(r"(?<![A-Za-z0-9+.-])(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^\s\"'`()<>\\,;]+")
DATA_URI = re.compile(r"""url\(\s*(["']?)data:.*?\1\s*\)""", re.DOTALL)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
LOCAL_ATTRIBUTES = {"href", "src"}
# Names of XML vocabularies (createElementNS, xmlns): identifiers that no browser fetches.
NAMESPACE_NAMES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
}
# Files that other build steps add after the site is built (the widget is copied in later).
ADDED_LATER = ("widget/",)
# Pages a person opens by choice with a share button: the page itself never fetches them.
# Exact endpoints, so a tracking pixel on the same hosts would still fail the audit.
SHARE_LINKS = (
    "https://x.com/intent/tweet?",
    "https://www.facebook.com/sharer/sharer.php?",
    "https://wa.me/?",
    "https://www.linkedin.com/sharing/share-offsite/?",
)


def foreign_references(site: Path, allowed_origins: set[str]) -> list[str]:
    """Every reference to another host, as 'file: url'. Empty means the site is clean."""
    allowed = {_origin(url) for url in allowed_origins}
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in TEXT_TYPES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in references_in(text, path.suffix.lower()):
            if _origin(url) not in allowed and not url.startswith(SHARE_LINKS):
                found.append(f"{path.relative_to(site)}: {url}")
    return found


def missing_files(site: Path) -> list[str]:
    """Local href/src targets of every HTML page that are not in the build."""
    missing: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _ReferenceParser()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.local:
            target = _local_target(site, page, url)
            if target is not None and not target.exists():
                missing.append(f"{page.relative_to(site)}: {url}")
    return missing


def references_in(text: str, suffix: str) -> list[str]:
    """Absolute URLs that a file of this type makes a browser fetch or follow."""
    if suffix in (".html", ".svg", ".xml"):
        parser = _ReferenceParser()
        parser.feed(text)
        return parser.absolute
    if suffix == ".css":
        return _urls(DATA_URI.sub("", CSS_COMMENT.sub("", text)))
    if suffix == ".js":
        return _urls(strip_js_comments(text))
    return _urls(text)


def strip_js_comments(code: str) -> str:
    """The code without // and /* */ comments; strings and template literals are kept whole.
    (Enough for the site's own scripts, which use no regular expression literals.)"""
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch in "\"'`":
            end = i + 1
            while end < n and code[end] != ch:
                end += 2 if code[end] == "\\" else 1
            out.append(code[i : end + 1])
            i = end + 1
        elif code.startswith("//", i):
            i = code.find("\n", i) if "\n" in code[i:] else n
        elif code.startswith("/*", i):
            close = code.find("*/", i + 2)
            i = n if close < 0 else close + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _ReferenceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.absolute: list[str] = []
        self.local: list[str] = []
        self._inline: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value or name == "xmlns" or name.startswith("xmlns:"):
                continue
            if name == "style":
                self.absolute += references_in(value, ".css")
                continue
            self.absolute += _urls(value)
            if name in LOCAL_ATTRIBUTES and not _urls(value):
                self.local.append(value)
        kind = dict(attrs).get("type") or ""
        if tag == "script" and "json" not in kind:
            self._inline = ".js"
        elif tag == "style":
            self._inline = ".css"

    def handle_endtag(self, tag: str) -> None:
        self._inline = None

    def handle_data(self, data: str) -> None:
        if self._inline:
            self.absolute += references_in(data, self._inline)


def _urls(text: str) -> list[str]:
    return [m.group(0) for m in ABSOLUTE_URL.finditer(text) if m.group(0) not in NAMESPACE_NAMES]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}"


def _local_target(site: Path, page: Path, url: str) -> Path | None:
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path or ":" in path.split("/")[0]:
        return None  # in-page anchor, mailto:, data:, ...
    target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    target, root = target.resolve(), site.resolve()
    relative = target.relative_to(root).as_posix() + "/" if target.is_relative_to(root) else ""
    if any(relative.startswith(prefix) for prefix in ADDED_LATER):
        return None
    return target / "index.html" if path.endswith("/") or target.is_dir() else target
