"""Every error of the command line says what is wrong, where (file, program, field) and what
to do: a missing admin key, a config file with problems, a deploy that cannot start."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from referbee.cli import main
from tests.unit.test_cli import commands

GOOD_PROGRAM = """\
  - id: beans
    name: Bean There Coffee
    landing_url: https://beanthere.example/welcome
    rewards:
      referrer: {text: "$10 store credit", kind: credit, amount: 10}
      friend: {text: "15% off your first order", kind: percent, percent: 15}
    emails: {from: "Bean There <rewards@beanthere.example>"}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("REFERBEE_ADMIN_KEY", "REFERBEE_API_URL", "AWS_PROFILE", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def admin_commands() -> list[tuple[str, click.Command]]:
    return [
        (path, command)
        for path, command in commands(main)
        if any(isinstance(p, click.Option) and "--admin-key" in p.opts for p in command.params)
        and not path.startswith("referbee dev")
    ]


@pytest.mark.parametrize(("path", "command"), admin_commands())
def test_a_missing_admin_key_says_where_keys_come_from(
    workdir: Path, path: str, command: click.Command
) -> None:
    (workdir / "x").write_text("A-1\n")  # a file for commands that read one
    given = ["--program", "beans"]
    for param in command.params:
        if param.required and isinstance(param, click.Argument):
            given.append("x")
        elif param.required and isinstance(param, click.Option) and param.name != "program":
            given += [param.opts[0], "x"]
    result = CliRunner().invoke(main, [*path.split()[1:], *given])
    assert result.exit_code == 2, result.output
    assert "REFERBEE_ADMIN_KEY" in result.output
    assert "referbee dev" in result.output and ".referbee/dev/admin_key" in result.output


def test_config_check_names_the_file_given_and_reports_each_problem_once(workdir: Path) -> None:
    (workdir / "other.yaml").write_text(
        "programs:\n"
        + GOOD_PROGRAM.replace("Bean There Coffee", "${NO_SUCH_VARIABLE}")
        + "    currency: XXZ\n"
    )
    result = CliRunner().invoke(main, ["config", "check", "--config", "other.yaml"])
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert problems == [
        "  - other.yaml: program 'beans'.name: environment variable NO_SUCH_VARIABLE is not "
        "set: set it (export NO_SUCH_VARIABLE=...) or write the value in its place"
    ]
    assert "referbee.yaml" not in result.output
    (workdir / "other.yaml").write_text("programs:\n" + GOOD_PROGRAM + "    currency: XXZ\n")
    result = CliRunner().invoke(main, ["config", "check", "--config", "other.yaml"])
    assert result.output.count("is not an ISO 4217 currency code") == 1, result.output
    assert "other.yaml: program 'beans'.currency: 'XXZ'" in result.output


def test_config_check_says_a_problem_of_two_programs_once(workdir: Path) -> None:
    (workdir / "referbee.yaml").write_text(
        "programs:\n" + (GOOD_PROGRAM.replace("https://", "ftp://") * 2)
    )
    result = CliRunner().invoke(main, ["config", "check"])
    lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert lines == [
        "  - referbee.yaml: program 'beans'.landing_url: 'ftp://beanthere.example/welcome'"
        " must start with https:// (http:// is allowed only for localhost)",
        "  - referbee.yaml: program 'beans'.id: 'beans' is used by two programs",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2]", "other.yaml: the file: must hold `programs:` with a list of programs"),
        ("programs:\n  - id: a\n   name: b\n", "other.yaml: not valid YAML at line 3, column 4"),
    ],
)
def test_a_file_that_is_not_a_config_says_what_to_write(
    workdir: Path, text: str, expected: str
) -> None:
    (workdir / "other.yaml").write_text(text)
    result = CliRunner().invoke(main, ["config", "check", "--config", "other.yaml"])
    problems = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert len(problems) == 1 and problems[0].startswith(f"  - {expected}"), result.output
    assert "referbee.yaml" not in result.output
    if "YAML" in expected:
        assert "check the indentation" in problems[0]


def test_deploy_preflight_reports_every_problem_in_one_run(workdir: Path) -> None:
    (workdir / "referbee.yaml").write_text("programs:\n" + GOOD_PROGRAM.replace("https", "ftp"))
    result = CliRunner().invoke(
        main, ["deploy", "--stage", "Prod!", "--bucket", "Bad_Bucket", "--region", "eu-wset-1"]
    )
    assert result.exit_code == 2
    lines = result.output.splitlines()
    lines = lines[lines.index("referbee: deploy did not start; fix these first:") :]
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  - the stage name 'Prod!' is not valid",
        "  - 'Bad_Bucket' is not a valid S3 bucket name",
        "  - 'eu-wset-1' is not an AWS region (did you mean 'eu-west-1'?)",
        "  - referbee.yaml",
    ]
    assert "program 'beans'.landing_url" in lines[-1]


def test_a_field_in_the_wrong_section_says_where_it_belongs(workdir: Path) -> None:
    (workdir / "referbee.yaml").write_text(
        "programs:\n"
        + GOOD_PROGRAM
        + "    widget: {hold_days: 14}\n    site: {primary_color: red}\n"
        + GOOD_PROGRAM
        + "    widget: {hold_days: 14}\n    site: {primary_color: red}\n"
    )
    result = CliRunner().invoke(main, ["config", "check"])
    assert result.exit_code == 2
    assert (
        "program 'beans'.widget.hold_days: unknown field: it belongs under `rewards:`"
        in result.output
    )
    assert "program 'beans'.site.primary_color: unknown field: it belongs under `brand:`" in (
        result.output
    )
