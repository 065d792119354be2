"""Brand palettes are readable; site texts fall back to defaults that are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.domain.config.programs import parse_programs
from referbee.site.audit import references_in, strip_js_comments
from referbee.site.texts import site_texts
from referbee.site.theme import DARK_BACKGROUND, contrast, derive_palette
from tests.common import config_document


@pytest.mark.parametrize("color", ["#3f51b5", "#ffeb3b", "#0b7a75", "#000000", "#ffffff"])
def test_derived_palettes_meet_wcag_aa_contrast(color: str) -> None:
    palette = derive_palette(color)
    assert contrast(palette.on_primary, palette.primary) >= 4.5
    assert contrast(palette.link_light, "#ffffff") >= 4.5
    assert contrast(palette.link_dark, DARK_BACKGROUND) >= 4.5
    assert contrast(palette.on_link_light, palette.link_light) >= 4.5
    assert contrast(palette.on_link_dark, palette.link_dark) >= 4.5


def test_unwritten_texts_get_defaults_from_the_program_and_are_named() -> None:
    shop = parse_programs(config_document()).get("shop")
    texts = site_texts(shop)
    assert sorted(texts.defaults) == [
        "site.faq",
        "site.get_link",
        "site.how_it_works",
        "site.pitch",
        "site.privacy",
        "site.terms",
        "site.title",
    ]
    assert "15% off" in texts.pitch and "EUR 10 credit" in texts.pitch
    assert "30 days" in texts.terms and "Test Shop keeps your email address" in texts.privacy
    # Without identity_secret customers join with their email address on the program page;
    # with it, they find their link where the shop signs them in.
    assert texts.get_link.startswith("Enter your email address")
    acme = site_texts(parse_programs(config_document()).get("acme"))
    assert acme.get_link.startswith("Sign in to your account at Acme")


def test_written_texts_are_used_with_placeholders_filled() -> None:
    document = config_document()
    document["programs"][0]["site"] = {
        "title": "Bring a friend",
        "pitch": "{program}: give {friend_reward}",
        "how_it_works": ["One", "Two"],
        "terms": "Terms.",
        "faq": [],
        "get_link": "Ask us.",
        "privacy": "{program} keeps your email address.",
    }
    texts = site_texts(parse_programs(document).get("shop"))
    assert texts.defaults == ()
    assert texts.privacy == "Test Shop keeps your email address."
    assert texts.pitch == "Test Shop: give 15% off"
    assert texts.how_it_works == ("One", "Two") and texts.faq == ()


def test_references_are_read_per_file_type_not_from_comments_or_text() -> None:
    html = (
        "<!-- https://comment.example/ --><p>see https://text.example/</p>"
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        '<img src="https://cdn.example/a.png"><a href="//proto.example/x">x</a>'
        '<div style="background:url(https://style.example/b.png)"></div>'
        '<script>fetch("https://script.example/")</script>'
        '<script type="application/json">{"a": "https://json.example/"}</script>'
    )
    assert references_in(html, ".html") == [
        "https://cdn.example/a.png",
        "//proto.example/x",
        "https://style.example/b.png",
        "https://script.example/",
    ]
    css = (
        '/* https://license.example */ a{background:url("data:image/svg+xml;'
        "<svg xmlns='http://www.w3.org/2000/svg'/>\")} @import url(https://fonts.example/x.css);"
    )
    assert references_in(css, ".css") == ["https://fonts.example/x.css"]
    js = "// https://a.example\nvar u = 'https://b.example/x'; /* https://c.example */"
    assert references_in(js, ".js") == ["https://b.example/x"]
    assert strip_js_comments("var s = '//not a comment'; // gone") == "var s = '//not a comment'; "


def test_share_intents_are_allowed_but_nothing_else_on_their_hosts(tmp_path: Path) -> None:
    from referbee.site.audit import foreign_references

    (tmp_path / "share.js").write_text(
        "var a='https://x.com/intent/tweet?text='+t, b='https://wa.me/?text='+t;\n"
        "var c='https://www.facebook.com/sharer/sharer.php?u='+u;\n"
        "var d='https://www.linkedin.com/sharing/share-offsite/?url='+u;\n"
        "new Image().src='https://www.facebook.com/tr?id=1';\n"
    )
    assert foreign_references(tmp_path, {"http://127.0.0.1:8000"}) == [
        "share.js: https://www.facebook.com/tr?id=1"
    ]
