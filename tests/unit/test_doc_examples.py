"""Every referbee.yaml example in README.md and docs/ is loaded by the same parser as
`referbee config check`, and the configuration reference lists each field once."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from referbee.config import load_config

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# What a fragment (a few fields of a program, or a program with `# ...`) is added to.
BASE_PROGRAM: dict[str, Any] = {
    "id": "beans",
    "name": "Bean There Coffee",
    "landing_url": "https://beanthere.example/welcome",
    "allowed_hosts": ["beanthere.example", "www.beanthere.example"],
    "rewards": {
        "referrer": {"text": "$10 store credit", "kind": "credit", "amount": 10},
        "friend": {"text": "15% off your first order", "kind": "percent", "percent": 15},
    },
    "emails": {"from": "Bean There <rewards@beanthere.example>"},
}
# Fields of the file itself, not of a program: an example of them alone keeps them there.
TOP_LEVEL = ("site_url", "api_url", "link_domain")


def examples() -> list[Any]:
    found = []
    for page in PAGES:
        text = page.read_text()
        for number, match in enumerate(re.finditer(r"```ya?ml\n(.*?)```", text, re.S), 1):
            line = text[: match.start()].count("\n") + 2
            found.append(
                pytest.param(match.group(1), id=f"{page.relative_to(ROOT)}:{line}:{number}")
            )
    return found


def as_config(example: str) -> dict[str, Any]:
    """A whole config from an example: programs get the base's fields they leave out, and a
    fragment (a program's fields, indented as in the file) is added to the base program."""
    document = yaml.safe_load(textwrap.dedent(example))
    assert isinstance(document, dict), example
    if "programs" in document:
        programs = [_completed(program) for program in document["programs"]]
        return {**document, "programs": programs}
    if set(document) <= set(TOP_LEVEL):
        return {**document, "programs": [_completed({})]}
    return {"programs": [_completed(document)]}


def _completed(program: dict[str, Any]) -> dict[str, Any]:
    rewards = {**BASE_PROGRAM["rewards"], **program.get("rewards", {})}
    return {**BASE_PROGRAM, **program, "rewards": rewards}


@pytest.mark.parametrize("example", examples())
def test_every_config_example_passes_config_check(
    example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", example):
        monkeypatch.setenv(name, "an-example-secret-of-24-chars")
    path = tmp_path / "referbee.yaml"
    path.write_text(yaml.safe_dump(as_config(example)))
    load_config(path)  # raises ConfigError naming every problem


def test_there_are_examples_to_check() -> None:
    assert len(examples()) >= 10


def test_the_configuration_reference_lists_each_field_once() -> None:
    page = (ROOT / "docs" / "config.md").read_text()
    fields: list[str] = []
    for row in re.findall(r"^\| (`[^|]+`) \|", page, re.M):
        fields += re.findall(r"`([^`]+)`", row)
    repeated = sorted({field for field in fields if fields.count(field) > 1})
    assert repeated == []
    assert "brand.primary_color" in fields and "rewards.referrer" in fields
