"""The site's terms and the widget's program info state exactly the rules in force, written
from the same config: for the defaults (the demo program, the test programs) and for every
whole example config in README.md and docs/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs
from chalicelib.model.program import Program
from referbee.site.rules import days
from referbee.site.texts import site_texts
from tests.common import config_document
from tests.incentives import incentive_document

ROOT = Path(__file__).resolve().parents[2]
_BLOCK = re.compile(r"```yaml\n(programs:.*?)```", re.S)


def documented_examples() -> list[tuple[str, dict[str, Any]]]:
    """Every yaml block of README.md and docs/*.md that declares whole programs (with their
    rewards), `${ENV}` references filled in."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in _BLOCK.findall(path.read_text()):
            document = yaml.safe_load(re.sub(r"\$\{\w+\}", "x" * 24, block))
            if all("rewards" in program for program in document["programs"]):
                found.append((path.name, document))
    return found


def configs() -> list[tuple[str, dict[str, Any]]]:
    variants = [
        ("demo", DEMO_CONFIG),
        ("tests", config_document()),
        ("incentives", incentive_document()),
        ("held", incentive_document(hold_days=14)),
        (
            "after hold",
            incentive_document(hold_days=7, trust={"browser_conversions": "approve_after_hold"}),
        ),
        ("trusted", incentive_document(trust={"browser_conversions": "trusted"})),
    ]
    return variants + documented_examples()


def programs() -> list[tuple[str, Program]]:
    return [
        (f"{name}:{program.id}", program)
        for name, document in configs()
        for program in parse_programs(document).programs.values()
    ]


def test_the_readme_and_config_reference_examples_are_whole_configs() -> None:
    assert {name for name, _ in documented_examples()} >= {"README.md", "config.md"}


@pytest.mark.parametrize(("label", "program"), programs(), ids=[label for label, _ in programs()])
def test_terms_and_widget_state_the_rules_in_force(label: str, program: Program) -> None:
    terms = site_texts(program).terms
    rules = program.public()["rules"]  # what the widget reads
    referrer_sentence = next(s for s in site_texts(program).rules if s.startswith("You get"))
    for rule in program.incentives.rules:
        side = rules[rule.side]
        assert (
            side["event"] == rule.event and side["first_purchase_only"] == rule.first_purchase_only
        )
        sentence = (
            referrer_sentence if rule.side == "referrer" else terms.split("Your friend gets")[1]
        )
        if rule.event == "purchase":
            assert ("first purchase" in sentence.split(".")[0]) == rule.first_purchase_only
            assert ("every purchase counts" in sentence.split(".")[0]) != rule.first_purchase_only
        if rule.min_amount is not None:
            assert side["min_amount"] == float(rule.min_amount)
            assert f"{rule.min_amount:.2f}" in sentence.split(".")[0] + "." + sentence.split(".")[1]
        else:
            assert "at least" not in sentence.split(".")[0]
    hold = program.incentives.hold_days
    assert rules["hold_days"] == hold
    approval = site_texts(program).rules[-1]
    assert (f" {days(hold)} " in approval) == bool(hold)
    assert ("refund" in approval) == bool(hold)
    assert days(program.attribution_window_days) in referrer_sentence
    mode = program.trust.browser_conversions
    assert (
        rules["confirmation"]
        == {"pending": "confirmed", "approve_after_hold": "after_hold", "trusted": "at_once"}[mode]
    )
    assert ("has confirmed the" in terms) == (mode != "trusted")


def test_the_demo_says_what_it_gives() -> None:
    demo = parse_programs(DEMO_CONFIG).get("demo")
    assert site_texts(demo).rules == (
        "You get $10 store credit when a friend you referred makes a purchase (every purchase "
        "counts) within 30 days of clicking your link.",
        "Your friend gets 15% off your first order when they make their first purchase.",
        "A reward is approved once Demo Coffee Club has confirmed the order.",
    )
