"""The old name keeps working for one release: REFKIT_* variables, a .refkit/ state folder and
a refkit.yaml are read, each with a one-line deprecation warning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from referbee import legacy
from referbee.cli import main
from tests.stand_in_api import stand_in_api


@pytest.fixture
def api() -> Iterator[tuple[str, list[str]]]:
    """A stand-in admin API that records the Authorization header of each call."""
    with stand_in_api({"": {"rewards": [], "rows": [], "next": None}}) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(legacy, "_warned", set())
    monkeypatch.chdir(tmp_path)
    for name in ("REFERBEE_ADMIN_KEY", "REFERBEE_API_URL", "REFKIT_ADMIN_KEY", "REFKIT_API_URL"):
        monkeypatch.setenv(name, "unset")
        monkeypatch.delenv(name)


def test_an_old_state_folder_and_admin_key_still_work_with_a_warning(
    api: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, seen = api
    (tmp_path / ".refkit" / "dev").mkdir(parents=True)
    (tmp_path / ".refkit" / "dev" / "api.json").write_text(json.dumps({"api": address}))
    monkeypatch.setenv("REFKIT_ADMIN_KEY", "old-name-admin-key-0123")
    result = CliRunner().invoke(main, ["rewards", "list", "--program", "demo"])
    assert result.exit_code == 0, result.output
    assert seen == ["Bearer old-name-admin-key-0123"]
    warnings = [line for line in result.stderr.splitlines() if "deprecated" in line]
    assert warnings == [
        "referbee: warning: REFKIT_ADMIN_KEY is deprecated and will stop working in the next "
        "release: use REFERBEE_ADMIN_KEY",
        "referbee: warning: reading the state folder .refkit/, which is deprecated: rename it "
        "to .referbee/ (mv .refkit .referbee)",
    ]


def test_the_new_names_win_and_say_nothing(
    api: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, seen = api
    for folder in (".refkit", ".referbee"):
        (tmp_path / folder / "dev").mkdir(parents=True)
    (tmp_path / ".referbee" / "dev" / "api.json").write_text(json.dumps({"api": address}))
    (tmp_path / ".refkit" / "dev" / "api.json").write_text(json.dumps({"api": "http://x:9"}))
    monkeypatch.setenv("REFKIT_ADMIN_KEY", "old-name-admin-key-0123")
    monkeypatch.setenv("REFERBEE_ADMIN_KEY", "new-name-admin-key-0123")
    result = CliRunner().invoke(main, ["rewards", "list", "--program", "demo"])
    assert result.exit_code == 0, result.output
    assert seen == ["Bearer new-name-admin-key-0123"]
    assert "warning" not in result.stderr


def test_an_old_config_file_is_read_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "refkit.yaml").write_text(
        "programs:\n  - id: beans\n    name: Beans\n    landing_url: https://beans.example/\n"
        "    rewards:\n"
        "      referrer: {text: '$10 credit', kind: credit, amount: 10}\n"
        "      friend: {text: '$10 credit', kind: credit, amount: 10}\n"
        "    emails: {from: rewards@beans.example}\n"
    )
    result = CliRunner().invoke(main, ["config", "check"])
    assert result.exit_code == 0, result.output
    assert "refkit.yaml: OK, 1 program (beans)" in result.stdout
    assert "reading refkit.yaml, which is deprecated" in result.stderr
