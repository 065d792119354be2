"""The shape of the code base, checked: short modules, a thin command entry point, tests that
never import a conftest, no import hidden from the checker, and one name for the product."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 300
MAX_ENTRY_LINES = 150
# The old name may appear only where it is still read, in the test of that, and in history.
OLD_NAME_ALLOWED = {"infra/referbee/legacy.py", "tests/unit/test_legacy_names.py", "CHANGELOG.md"}


def tracked(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [ROOT / line for line in listed.stdout.splitlines() if (ROOT / line).is_file()]


def source_files() -> list[Path]:
    return tracked("functions/*.py", "infra/*.py")


def test_there_are_source_files_to_check() -> None:
    assert len(source_files()) > 100


def test_no_source_module_is_over_300_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in source_files()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_command_entry_point_only_assembles_the_groups() -> None:
    entry = ROOT / "infra" / "referbee" / "cli" / "__init__.py"
    assert len(entry.read_text().splitlines()) < MAX_ENTRY_LINES


def test_no_import_is_hidden_from_the_layering_check() -> None:
    hidden = [
        str(path.relative_to(ROOT))
        for path in source_files()
        if "TYPE_CHECKING" in path.read_text()
    ]
    assert hidden == []


def test_tests_never_import_a_conftest() -> None:
    importing = re.compile(r"^\s*(from\s+[\w.]*conftest\s+import|import\s+[\w.]*conftest)", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for path in tracked("tests/*.py", "bench/*.py")
        if importing.search(path.read_text())
    ]
    assert offenders == []


def test_the_product_has_one_name() -> None:
    old = "ref" + "kit"  # spelled in two parts so that this file does not name it
    found = sorted(
        str(path.relative_to(ROOT))
        for path in tracked()
        if str(path.relative_to(ROOT)) not in OLD_NAME_ALLOWED
        and old in path.read_bytes().decode("utf-8", "replace").lower()
    )
    assert found == []
