"""The `widget:` section of a program: texts and launcher side, shown in public program info."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.model.errors import ConfigError
from tests.common import config_document


def with_widget(widget: Any) -> dict[str, Any]:
    document = config_document()
    document["programs"][0]["widget"] = widget
    return document


def test_widget_texts_default_to_the_widgets_own_strings() -> None:
    program = parse_programs(config_document()).get("shop")
    assert program.public()["widget"] == {
        "title": None,
        "launcher_text": None,
        "copy_text": None,
        "launcher_position": "right",
    }


def test_widget_texts_come_from_the_config() -> None:
    widget = {
        "title": "Give 15%, get $10",
        "launcher_text": "Get $10",
        "copy_text": "Copy link",
        "launcher_position": "left",
    }
    program = parse_programs(with_widget(widget)).get("shop")
    assert program.public()["widget"] == widget
    assert program.public()["brand"] == {"primary_color": "#3f51b5"}  # colours live in brand


@pytest.mark.parametrize(
    ("widget", "problem"),
    [
        ({"launcher_position": "top"}, "widget.launcher_position: 'top' is not one of right, left"),
        ({"title": "x" * 61}, "widget.title: must be at most 60 characters"),
        ({"copy_txt": "Copy"}, "widget.copy_txt: unknown field (did you mean 'copy_text'?)"),
        ({"launcher_text": 5}, "widget.launcher_text: must be text"),
        ("big", "widget: must be a mapping of fields"),
    ],
)
def test_widget_problems_name_the_program_and_field(widget: Any, problem: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_programs(with_widget(widget))
    assert any(p.startswith(f"program 'shop'.{problem}") for p in error.value.problems), (
        error.value.problems
    )
