"""The widget build: pure-Python minification, the stylesheet inlined, the size budget."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from chalicelib.model.errors import ReferbeeError
from referbee.cli import main
from referbee.site.widget import (
    CSS_PLACEHOLDER,
    SIZE_BUDGET_GZIPPED,
    WIDGET_SOURCES,
    build_widget,
    minify_widget,
    widget_locales,
    widget_size,
)


def test_the_minified_widget_stays_within_its_gzipped_budget() -> None:
    script = minify_widget().encode()
    gzipped = len(gzip.compress(script, compresslevel=9))
    assert gzipped <= SIZE_BUDGET_GZIPPED, f"referbee.js is {gzipped} bytes gzipped"
    size = widget_size()
    assert (size.minified, size.gzipped) == (len(script), gzipped)
    assert size.within_budget and size.minified < size.source


def test_build_writes_one_script_with_its_styles_inlined(tmp_path: Path) -> None:
    path = build_widget(tmp_path / "site" / "widget")
    assert path == tmp_path / "site" / "widget" / "referbee.js"
    script = path.read_text()
    assert CSS_PLACEHOLDER not in script
    assert ":host{display:block!important}" in script
    assert script.isascii()  # decodes the same whatever charset the server announces
    assert "'use strict'" in script
    assert "/*" not in script  # comments are gone
    packs = {f"referbee.{lang}.js" for lang in widget_locales()}
    assert {p.name for p in path.parent.iterdir()} == {"referbee.js", *packs}
    french = (path.parent / "referbee.fr.js").read_text()
    assert french.startswith("window.referbee&&window.referbee('strings',{")
    assert french.isascii()


def english_strings() -> dict[str, str]:
    source = (WIDGET_SOURCES / "referbee.js").read_text()
    block = re.search(r"var EN = \{(.*?)\n  \};", source, re.S)
    assert block is not None
    pairs = re.findall(r"(\w+): '((?:[^'\\]|\\.)*)'", block.group(1))
    return {key: value.encode().decode("unicode_escape") for key, value in pairs}


def test_every_language_has_every_string_and_none_left_in_english() -> None:
    english = english_strings()
    assert len(english) > 20
    source = (WIDGET_SOURCES / "referbee.js").read_text()
    listed = re.search(r"var LOCALES = /\^\(([a-z|]+)\)\$/;", source)
    assert listed is not None
    packs = widget_locales()
    assert set(listed.group(1).split("|")) == set(packs) >= {"fr", "de", "es", "pt", "it", "nl"}
    for lang, strings in packs.items():
        assert set(strings) == set(english), lang
        same = [k for k in english if strings[k].strip().lower() == english[k].lower()]
        assert same == [], f"{lang}: still in English: {same}"
        for key, text in strings.items():
            placeholders = sorted(re.findall(r"{\w+}", english[key]))
            assert sorted(re.findall(r"{\w+}", text)) == placeholders, (lang, key)


def test_a_widget_source_outside_es5_fails_the_build_clearly(tmp_path: Path) -> None:
    shutil.copytree(WIDGET_SOURCES, tmp_path, dirs_exist_ok=True)
    source = tmp_path / "referbee.js"
    source.write_text(source.read_text().replace("function noop() {}", "const noop = () => {};"))
    with pytest.raises(ReferbeeError, match="is not ES5"):
        minify_widget(tmp_path)


def test_referbee_widget_build_prints_the_sizes(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["widget", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    size = widget_size()
    assert f"{size.minified} bytes, {size.gzipped} bytes gzipped" in result.output
    assert (tmp_path / "referbee.js").exists()
