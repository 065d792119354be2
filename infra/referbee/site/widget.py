"""Builds the embeddable widget: `widget/src/referbee.js` minified with calmjs.parse (which also
renames local variables), its stylesheet `widget/src/referbee.css` minified with rcssmin and
inlined, written to `<dest>/referbee.js`.

Both minifiers are pure Python, so building and deploying the widget needs no Node.
calmjs.parse rather than a whitespace-only minifier such as rjsmin: renaming locals is what
keeps the script under its 6 KB gzipped budget (rjsmin leaves it about 0.5 KB larger). Its
parser reads ES5, so the widget source is written in ES5 (a build error says so). The
stylesheet travels inside the script (a constructable stylesheet adopted by the widget's
shadow roots) because that is what a strict Content-Security-Policy allows: a `<style>`
element inside a shadow root counts as inline style and is blocked; the script's own origin
is allowed by any page that loads it. One file also means one request.

English is built into the script; every other language is a small file of its own next to it
(`referbee.fr.js`, built from `widget/src/locales/fr.json`), which the script loads only on a
page in that language: a page downloads its own language's strings and no others.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.model.errors import ReferbeeError

from .. import KIT_ROOT

WIDGET_SOURCES = KIT_ROOT / "widget" / "src"
SIZE_BUDGET_GZIPPED = 6 * 1024
CSS_PLACEHOLDER = '"@CSS@"'


@dataclass(frozen=True)
class WidgetSize:
    source: int  # bytes of referbee.js + referbee.css as written
    minified: int
    gzipped: int  # what a browser downloads from a server that compresses

    @property
    def within_budget(self) -> bool:
        return self.gzipped <= SIZE_BUDGET_GZIPPED


def build_widget(dest_dir: Path) -> Path:
    """Write the minified widget to `dest_dir/referbee.js`, and each language's strings to
    `dest_dir/referbee.{lang}.js`; return the script's path."""
    script = minify_widget()
    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / "referbee.js"
    path.write_text(script, encoding="utf-8")
    for lang, strings in widget_locales().items():
        # The script asks for its pack after it has started: the pack hands the strings over
        # through the script's own command function.
        pack = f"window.referbee&&window.referbee('strings',{json.dumps(strings)});"
        (dest_dir / f"referbee.{lang}.js").write_text(pack, encoding="utf-8")
    return path


def widget_locales(sources: Path = WIDGET_SOURCES) -> dict[str, dict[str, str]]:
    """The widget's strings in every language but English, by language code."""
    packs = {}
    for path in sorted((sources / "locales").glob("*.json")):
        strings = json.loads(_read(path))
        if not isinstance(strings, dict) or not all(
            isinstance(value, str) for value in strings.values()
        ):
            raise ReferbeeError(f"{path} must be one JSON object of strings.")
        packs[path.stem] = strings
    return packs


def minify_widget(sources: Path = WIDGET_SOURCES) -> str:
    import rcssmin
    from calmjs.parse import es5
    from calmjs.parse.exceptions import ECMASyntaxError
    from calmjs.parse.unparsers.es5 import minify_print

    try:
        tree = es5(_read(sources / "referbee.js"))
    except ECMASyntaxError as exc:
        raise ReferbeeError(
            f"widget/src/referbee.js is not ES5, which the minifier needs: {exc}"
        ) from exc
    script = str(minify_print(tree, obfuscate=True, obfuscate_globals=False))
    style = rcssmin.cssmin(_read(sources / "referbee.css"))
    if script.count(CSS_PLACEHOLDER) != 1:
        raise ReferbeeError(f"widget/src/referbee.js must contain {CSS_PLACEHOLDER} exactly once.")
    # json.dumps gives a valid JS string literal, ASCII only: the script decodes the same
    # whatever charset the server announces.
    return script.replace(CSS_PLACEHOLDER, json.dumps(style))


def widget_size(sources: Path = WIDGET_SOURCES) -> WidgetSize:
    minified = minify_widget(sources).encode()
    source = sum(len((sources / name).read_bytes()) for name in ("referbee.js", "referbee.css"))
    return WidgetSize(source, len(minified), len(gzip.compress(minified, compresslevel=9)))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferbeeError(f"cannot read the widget source {path} ({exc.strerror}).") from exc
