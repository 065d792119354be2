"""`trust:` in referbee.yaml: safe defaults, validated opt-outs, and the warnings that say in
words what each opt-out allows (`referbee config check`, `referbee dev`, `referbee deploy`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
from chalicelib.domain.config.trust import config_warnings
from chalicelib.model.errors import ConfigError
from chalicelib.model.fraud import TrustRules
from referbee.cli import main
from tests.common import config_document


def shop(**fields: Any) -> dict[str, Any]:
    document = config_document()
    document["programs"][0].update(fields)
    return document


def test_the_defaults_are_safe_and_warn_of_nothing() -> None:
    for document in (config_document(), DEMO_CONFIG):
        catalogue = parse_programs(document)
        for program in catalogue.programs.values():
            assert program.trust == TrustRules("pending", "click")
            assert program.fraud.velocity is not None
        assert config_warnings(catalogue) == []


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"trust": {"browser_conversions": "trusted"}}, "anyone who sees a referral link"),
        (
            {"trust": {"browser_conversions": "approve_after_hold"}, "rewards": None},
            "after 14 day(s) even if no order exists",
        ),
        ({"trust": {"browser_referrals": "ref"}}, "anyone who knows a code can credit it"),
        ({"fraud": {"velocity": False}}, "a flood of conversions for one code"),
    ],
)
def test_each_opt_out_is_warned_of_in_words(fields: dict[str, Any], words: str) -> None:
    document = shop(**{k: v for k, v in fields.items() if v is not None})
    if "rewards" in fields:
        document["programs"][0]["rewards"]["hold_days"] = 14
    warnings = config_warnings(parse_programs(document))
    assert len(warnings) == 1
    assert warnings[0].startswith("program 'shop': ") and words in warnings[0]


@pytest.mark.parametrize(
    ("trust", "problem"),
    [
        ({"browser_conversions": "yes"}, "trust.browser_conversions: 'yes' is not one of"),
        ({"browser_conversions": "approve_after_hold"}, "needs rewards.hold_days of 1 or more"),
        ({"browser_referrals": "any"}, "trust.browser_referrals: 'any' is not one of"),
        ({"browser_refs": "ref"}, "trust.browser_refs: unknown field"),
    ],
)
def test_bad_trust_settings_name_the_field(trust: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_programs(shop(trust=trust))
    assert any(problem in line for line in caught.value.problems), caught.value.problems


def test_config_check_prints_the_warnings(tmp_path: Path) -> None:
    path = tmp_path / "referbee.yaml"
    path.write_text(yaml.safe_dump(shop(trust={"browser_conversions": "trusted"})))
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: OK, " in result.output
    assert "referbee: warning: program 'shop': trust.browser_conversions is 'trusted'" in (
        result.output
    )
