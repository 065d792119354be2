"""`referbee init` writes a commented referbee.yaml that `referbee config check` passes,
from options (scripts) or from answers to its questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from referbee.cli import main
from referbee.config import load_config

OPTIONS = [
    "init",
    "--name",
    "Bean Thére Coffee",
    "--landing-url",
    "https://beanthere.example/welcome",
    "--referrer-reward",
    "$10",
    "--friend-reward",
    "15%",
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_options_write_a_config_that_config_check_passes(workdir: Path) -> None:
    result = CliRunner().invoke(main, OPTIONS)
    assert result.exit_code == 0, result.output
    assert "Wrote referbee.yaml for the program 'bean-there-coffee'" in result.output
    program = yaml.safe_load((workdir / "referbee.yaml").read_text())["programs"][0]
    assert program["name"] == "Bean Thére Coffee"
    assert program["rewards"] == {
        "referrer": {"text": "$10 store credit", "kind": "credit", "amount": 10},
        "friend": {
            "text": "15% off your first order",
            "kind": "percent",
            "percent": 15,
            "first_purchase_only": True,  # what its text promises
        },
    }
    # Customers who join with their email get their stats link by email: a sender is set.
    assert program["emails"] == {"from": "Bean Thére Coffee <rewards@beanthere.example>"}
    check = CliRunner().invoke(main, ["config", "check"])
    assert check.exit_code == 0
    assert check.output == "referbee.yaml: OK, 1 program (bean-there-coffee)\n"


def test_questions_are_asked_again_until_the_answer_is_usable(workdir: Path) -> None:
    answers = (
        "My Shop\nftp://shop.example\nhttps://shop.example/\neur\n12.5\nlots\n100 points\n"
        "hello\nShop <hi@shop.example>\n"
    )
    result = CliRunner().invoke(main, ["init", "--config", "shop.yaml"], input=answers)
    assert result.exit_code == 0, result.output
    assert "'ftp://shop.example' must start with https://" in result.output
    assert "cannot read the reward 'lots'" in result.output
    assert "'hello' is not an address like" in result.output
    assert "referbee config check --config shop.yaml" in result.output
    program = yaml.safe_load((workdir / "shop.yaml").read_text())["programs"][0]
    assert (program["id"], program["currency"]) == ("my-shop", "EUR")
    assert program["rewards"]["referrer"] == {
        "text": "€12.50 store credit",
        "kind": "credit",
        "amount": 12.5,
    }
    assert program["rewards"]["friend"] == {"text": "100 points", "kind": "points", "points": 100}
    assert CliRunner().invoke(main, ["config", "check", "--config", "shop.yaml"]).exit_code == 0


def test_an_existing_file_is_kept_unless_forced(workdir: Path) -> None:
    (workdir / "referbee.yaml").write_text("# mine\n")
    kept = CliRunner().invoke(main, OPTIONS)
    assert kept.exit_code == 1
    assert "referbee.yaml already exists: edit it, pass --force" in kept.output
    assert (workdir / "referbee.yaml").read_text() == "# mine\n"
    assert CliRunner().invoke(main, [*OPTIONS, "--force"]).exit_code == 0
    assert "bean-there-coffee" in (workdir / "referbee.yaml").read_text()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--landing-url", "http://shop.example", "must start with https://"),
        ("--currency", "dollars", "'dollars' is not an ISO 4217 currency code"),
        ("--friend-reward", "150%", "a percentage is more than 0 and at most 100"),
        ("--id", "Bean Shop", "must be 1-32 lower-case letters"),
    ],
)
def test_bad_options_say_what_to_write(
    workdir: Path, option: str, value: str, message: str
) -> None:
    result = CliRunner().invoke(main, [*OPTIONS, option, value])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (workdir / "referbee.yaml").exists()


def test_every_commented_field_is_valid_when_uncommented(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CliRunner().invoke(main, [*OPTIONS, "--friend-reward", "coupon:welcome"]).exit_code == 0
    text = (workdir / "referbee.yaml").read_text()
    optional = [line for line in text.splitlines() if re.match(r"^ +# ", line)]
    assert len(optional) >= 10
    uncommented = re.sub(r"(?m)^( +)# ", r"\1", text)
    monkeypatch.setenv("BEAN_THERE_COFFEE_IDENTITY_SECRET", "s" * 24)
    (workdir / "referbee.yaml").write_text(uncommented)
    check = CliRunner().invoke(main, ["config", "check"])
    assert check.exit_code == 0, check.output + uncommented
    shop = load_config(workdir / "referbee.yaml")[1].programs["bean-there-coffee"]
    assert shop.incentives.hold_days == 14
    assert shop.allowed_hosts == ("beanthere.example", "www.beanthere.example")
