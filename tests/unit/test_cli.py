"""The command line: every command has help text and a documentation page; coupon files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from chalicelib.model.errors import ReferbeeError
from referbee.admin.coupons import read_coupon_file
from referbee.cli import main

ROOT = Path(__file__).resolve().parents[2]


def commands(group: click.Group, prefix: str = "referbee") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from commands(command, path)


def test_every_command_has_help_and_a_documentation_page() -> None:
    docs = "\n".join(p.read_text() for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")])
    for path, command in commands(main):
        assert (command.help or "").strip(), f"{path} has no help text"
        if not isinstance(command, click.Group):
            assert path in docs, f"{path} is not in README.md or docs/"


def test_admin_commands_need_a_key_and_an_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REFERBEE_API_URL", raising=False)
    monkeypatch.delenv("REFERBEE_ADMIN_KEY", raising=False)
    runner = CliRunner()
    missing_key = runner.invoke(main, ["webhooks", "log", "--program", "beans"])
    assert missing_key.exit_code == 2 and "--admin-key" in missing_key.output
    no_api = runner.invoke(main, ["webhooks", "log", "--program", "beans", "--admin-key", "k"])
    assert no_api.exit_code == 1 and "no API address: pass --api" in no_api.output
    down = runner.invoke(
        main,
        ["rewards", "list", "--program", "b", "--admin-key", "k", "--api", "http://127.0.0.1:9"],
    )
    assert down.exit_code == 1 and "cannot reach the API at http://127.0.0.1:9" in down.output


def test_coupon_files_take_one_code_per_line_or_a_csv_column(tmp_path: Path) -> None:
    plain = tmp_path / "codes.txt"
    plain.write_text("code\nWELCOME-1\n\n  WELCOME-2  \n# later\n")
    assert read_coupon_file(plain) == ["WELCOME-1", "WELCOME-2"]
    csv = tmp_path / "codes.csv"
    csv.write_text('"A-1",10%\n"A-2",10%\n')
    assert read_coupon_file(csv) == ["A-1", "A-2"]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# nothing\n")
    with pytest.raises(ReferbeeError, match="no coupon codes"):
        read_coupon_file(empty)
    with pytest.raises(ReferbeeError, match="cannot be read"):
        read_coupon_file(tmp_path / "missing.txt")
