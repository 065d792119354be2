"""Every test module lives in exactly one tier folder, and tests/run runs every tier."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# pytest's default test module names (pyproject.toml does not change them).
PATTERNS = ("test_*.py", "*_test.py")


def test_every_test_module_is_in_one_tier_folder_that_tests_run_runs() -> None:
    tiers = run_tiers()
    assert len(set(tiers)) == len(tiers), f"a tier is named twice in tests/run: {tiers}"
    modules = sorted({path for pattern in PATTERNS for path in TESTS.rglob(pattern)})
    assert modules
    for module in modules:
        parts = module.relative_to(TESTS).parts
        assert len(parts) > 1, f"tests/{module.name} is in no tier: move it into one"
        assert parts[0] in tiers, f"tests/{parts[0]}/ is not a tier of tests/run (TIERS)"
    holding = {module.relative_to(TESTS).parts[0] for module in modules}
    assert holding == set(tiers), f"tiers with no test module: {set(tiers) - holding}"


def run_tiers() -> list[str]:
    """The TIERS=(...) line of tests/run."""
    for line in (TESTS / "run").read_text().splitlines():
        if line.startswith("TIERS=("):
            return line.removeprefix("TIERS=(").removesuffix(")").split()
    raise AssertionError("tests/run has no TIERS=(...) line")
