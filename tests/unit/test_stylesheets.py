"""The theme's stylesheets pruned to what a site can use: a rule goes only when no element of
the site can match it, and the pruned file gets a name of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from referbee.site.stylesheets import can_match, prune_stylesheet, prune_theme_stylesheets

WORDS = {"md-button", "md-typeset", "p", "a", "input", "type", "checkbox", "data-md-color-scheme"}
WORDS |= {"slate", "div"}


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        (".md-button", True),
        (".md-typeset p > a:hover", True),
        (".md-typeset kbd", False),  # no <kbd> anywhere
        (".md-tabs", False),
        ("#md-search", False),
        ("[data-md-color-scheme=slate] .md-typeset", True),
        ("[data-md-color-scheme=default] .md-typeset", False),
        ('input[type="checkbox"]', True),
        (".md-typeset :not(.md-tabs) > p", True),  # :not(.x) matches without any .x
        (".md-typeset :is(.md-tabs, .md-button)", True),
        ("div::before", True),
        ("p:nth-child(2n+1)", True),
    ],
)
def test_a_selector_is_kept_when_the_site_has_every_name_it_needs(
    selector: str, matches: bool
) -> None:
    assert can_match(selector, WORDS) is matches


def test_rules_lists_and_media_blocks_keep_only_what_can_match() -> None:
    css = (
        "@font-face{font-family:x;src:url(x.woff2)}"
        ".md-button,.md-tabs{color:red}"
        ".md-tabs{color:blue}"
        '.md-typeset p[title="a,b"]{margin:0}'
        "@media screen and (min-width:60em){.md-tabs{display:block}.md-button{width:1px}}"
        "@media print{.md-tabs{display:none}}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
    )
    assert prune_stylesheet(css, WORDS | {"title"}) == (
        "@font-face{font-family:x;src:url(x.woff2)}"
        ".md-button{color:red}"
        '.md-typeset p[title="a,b"]{margin:0}'
        "@media screen and (min-width:60em){.md-button{width:1px}}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
    )


def test_the_pruned_file_has_a_new_name_and_the_pages_point_at_it(tmp_path: Path) -> None:
    sheets = tmp_path / "assets/stylesheets"
    sheets.mkdir(parents=True)
    (sheets / "main.57a0d79d.min.css").write_text(".md-button{color:red}.md-tabs{color:blue}")
    page = '<link rel="stylesheet" href="../assets/stylesheets/main.57a0d79d.min.css">'
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats/index.html").write_text(page + '<a class="md-button">x</a>')
    sizes = prune_theme_stylesheets(tmp_path)
    (name,) = sizes
    assert name != "main.57a0d79d.min.css" and name.startswith("main.")
    assert sizes[name] == (41, 21)
    assert [p.name for p in sheets.iterdir()] == [name]
    assert f"assets/stylesheets/{name}" in (tmp_path / "stats/index.html").read_text()
