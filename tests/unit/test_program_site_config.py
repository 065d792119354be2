"""The `site:` and `brand:` sections of referbee.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.config.site import fill_placeholders
from chalicelib.model.errors import ConfigError
from chalicelib.model.site import Question, SiteSettings
from tests.common import config_document


def with_shop(**sections: Any) -> dict[str, Any]:
    document = config_document()
    document["programs"][0].update(sections)
    return document


def problems_of(document: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_programs(document)
    return caught.value.problems


def test_site_and_brand_are_optional_and_default_to_nothing_written() -> None:
    shop = parse_programs(config_document()).get("shop")
    assert shop.site == SiteSettings()
    assert shop.site.leaderboard is False  # names on a public board are opt-in
    assert (shop.brand.logo, shop.brand.favicon) == (None, None)


def test_site_texts_and_switches_are_read() -> None:
    site = {
        "title": "Share the love",
        "pitch": "Give {friend_reward}, get {referrer_reward}.",
        "how_it_works": ["Get a link", "Share it", "Get rewarded"],
        "terms": "Be nice.",
        "faq": [{"question": "Why?", "answer": "Because {program}."}],
        "get_link": "Open your account page.",
        "leaderboard": True,
        "leaderboard_size": 25,
        "widget": True,
    }
    shop = parse_programs(
        with_shop(site=site, brand={"logo": "brand/logo.svg", "favicon": "fav.png"})
    ).get("shop")
    assert shop.site.how_it_works == ("Get a link", "Share it", "Get rewarded")
    assert shop.site.faq == (Question("Why?", "Because {program}."),)
    assert (shop.site.leaderboard, shop.site.leaderboard_size, shop.site.widget) == (
        True,
        25,
        True,
    )
    assert (shop.brand.logo, shop.brand.favicon) == ("brand/logo.svg", "fav.png")
    assert shop.public()["brand"] == {"primary_color": "#3f51b5"}  # file paths stay private


def test_every_site_and_brand_mistake_is_named() -> None:
    site = {
        "pitch": "Get {discount}!",
        "how_it_works": ["one", ""],
        "faq": [{"question": "Q?"}, "just text"],
        "leaderboard": "yes",
        "leaderboard_size": 1000,
        "colour": "red",
    }
    brand = {"logo": "https://cdn.example/logo.png", "favicon": "icon.bmp"}
    problems = problems_of(with_shop(site=site, brand=brand))
    expected = [
        "program 'shop'.site.pitch: unknown placeholder {discount}; use {program}, ",
        "program 'shop'.site.colour: unknown field",
        "program 'shop'.site.how_it_works[1]: must be a non-empty text",
        "program 'shop'.site.faq[0].answer: is required",
        "program 'shop'.site.faq[1]: must be a mapping of fields, not text",
        "program 'shop'.site.leaderboard: must be true or false, not text",
        "program 'shop'.site.leaderboard_size: must be between 3 and 100, not 1000",
        "program 'shop'.brand.logo: 'https://cdn.example/logo.png' must be a local image file",
        "program 'shop'.brand.favicon: 'icon.bmp' must be the path of a .svg",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), (line, problems)


def test_placeholders_fill_known_names_only() -> None:
    values = {"program": "Beans", "friend_reward": "10% off"}
    assert fill_placeholders("{program} gives {friend_reward} {x}", values) == (
        "Beans gives 10% off {x}"
    )
