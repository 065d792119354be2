"""The canonical form of an email address: what is left when every way of writing the same
mailbox differently is folded away, so that `J.a.n.e+2@gmail.com`, `jane@googlemail.com` and
`j\u0430ne@gmail.com` (with a Cyrillic a, U+0430) all compare equal to `jane@gmail.com`.

The rule, in order (docs/fraud.md):
1. Unicode NFKC, then case folding (full-width letters, ligatures, `ﬁ` -> `fi`, `ß` -> `ss`).
2. Look-alike characters become the ASCII letter or digit they imitate, from the Unicode
   confusables table (`confusable-homoglyphs` ships it); then the ASCII look-alikes `0`->`o`,
   `1`->`l`, `rn`->`m`, `vv`->`w`.
3. Everything from the first `+` in the local part is dropped (sub-addressing: every large
   provider delivers `jane+tag@` to `jane@`).
4. Provider rules where they are well known: Gmail ignores dots and `googlemail.com` is
   `gmail.com`; Yahoo's disposable addresses are `base-keyword@`.

Two addresses with the same canonical form are treated as the same person by the
self-referral and duplicate-identity rules. Over-folding can only send a conversion to
review (never reject it), which is why the rule prefers folding too much to too little.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

_GMAIL = {"gmail.com", "googlemail.com"}
_YAHOO = re.compile(r"(yahoo|ymail|rocketmail)\.[a-z.]+")
_ASCII_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"))
_KEEP = re.compile(r"[a-z0-9@.+_-]")


def canonical_email(raw: str) -> str:
    """The canonical form of an address (see the module docstring); "" when `raw` has no
    local part and domain."""
    text = unicodedata.normalize("NFKC", raw.strip()).casefold()
    folded = "".join(_ascii_of(char) for char in text)
    local, at, domain = folded.rpartition("@")
    if not at or not local or not domain:
        return ""
    domain = _domain(domain)
    local = local.split("+", 1)[0]
    if domain in _GMAIL:
        domain = "gmail.com"
        local = local.replace(".", "")
    elif _YAHOO.fullmatch(domain):
        local = local.split("-", 1)[0]
    for look, real in _ASCII_LOOKALIKES:
        local = local.replace(look, real)
    return f"{local}@{domain}" if local else ""


def email_domain(raw: str) -> str:
    """The domain of an address in lower-case ASCII (IDNA), "" when there is none."""
    _, at, domain = raw.strip().rpartition("@")
    return _domain(unicodedata.normalize("NFKC", domain).casefold()) if at else ""


def _domain(domain: str) -> str:
    domain = domain.strip().rstrip(".")
    if domain.startswith("xn--") or ".xn--" in domain:
        try:
            domain = domain.encode("ascii").decode("idna")
        except UnicodeError:
            return domain
        domain = "".join(_ascii_of(char) for char in domain.casefold())
    return domain


def _ascii_of(char: str) -> str:
    if char.isascii():
        return char
    return _table().get(char, char)


@functools.cache
def _table() -> dict[str, str]:
    """Every non-ASCII character that imitates an ASCII letter or digit, and that character
    (lower case). Read on first use: the table is 900 KB of JSON."""
    import confusable_homoglyphs

    source = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if char.isascii():
            continue
        for glyph in homoglyphs:
            target = glyph["c"].casefold()
            if len(target) == 1 and _KEEP.fullmatch(target):
                table[char] = target
                break
    return table
