"""The `widget:` section of a program in referbee.yaml: the widget's texts and the side of its
launcher button. Unset texts come from the widget's own table of languages; colours come from
`brand.primary_color`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...model.site import WidgetConfig
from .fields import FieldReader

WIDGET_FIELDS = ("title", "launcher_text", "copy_text", "launcher_position")
LAUNCHER_POSITIONS = ("right", "left")


def parse_widget(reader: FieldReader, raw: Any, path: str) -> WidgetConfig:
    data: Mapping[str, Any] = reader.mapping(raw, path)
    reader.only_known(data, WIDGET_FIELDS, path)
    position = reader.text(data, "launcher_position", path, default="right")
    if position not in LAUNCHER_POSITIONS:
        reader.fail(f"{path}.launcher_position", f"'{position}' is not one of right, left")
    return WidgetConfig(
        title=reader.optional_text(data, "title", path, max_len=60),
        launcher_text=reader.optional_text(data, "launcher_text", path, max_len=40),
        copy_text=reader.optional_text(data, "copy_text", path, max_len=20),
        launcher_position=position,
    )
