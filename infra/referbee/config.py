"""Reads referbee.yaml: YAML, `${ENV_VAR}` references for secrets, then the same validation the
Lambda applies (chalicelib.domain.config.programs)."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from chalicelib.domain.config.programs import DEMO_CONFIG, parse_programs, program_label
from chalicelib.model.errors import ConfigError
from chalicelib.model.program import Catalogue

from . import legacy

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def load_config(path: Path | None) -> tuple[dict[str, Any], Catalogue]:
    """The config document (env references filled in) and its validated programs.

    With no path: ./referbee.yaml when it exists, else the built-in demo program."""
    if path is None:
        path = legacy.config_file()
        if not path.exists():
            document = copy.deepcopy(DEMO_CONFIG)
            return document, parse_programs(document)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot be read ({exc.strerror})"]) from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([f"{path}: {yaml_problem(exc)}"]) from exc
    problems: list[str] = []
    document = _fill_programs_env(document, problems)
    if problems:
        raise ConfigError([f"{path}: {p}" for p in problems])
    try:
        return document, parse_programs(document)
    except ConfigError as exc:
        raise ConfigError([f"{path}: {p}" for p in exc.problems]) from exc


def write_programs(document: dict[str, Any], dest: Path) -> None:
    """Write the validated programs as JSON for the Lambda (it reads JSON, not YAML)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    programs = {"programs": document["programs"]}
    dest.write_text(json.dumps(programs, indent=1, sort_keys=True, default=str))
    dest.chmod(0o600)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """Where the YAML cannot be read, what the parser saw, and the usual cause."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None)
    seen = f" ({problem})" if problem else ""
    return (
        f"not valid YAML{where}{seen}: check the indentation of that line and the one "
        "before it, and quote text that holds ': ' or starts with a special character"
    )


def _fill_programs_env(document: Any, problems: list[str]) -> Any:
    """Fill `${NAME}` references; a problem names the program the way the validation does."""
    if not isinstance(document, dict) or not isinstance(document.get("programs"), list):
        return _fill_env(document, "", problems)
    programs = [
        _fill_env(program, program_label(program, index), problems)
        for index, program in enumerate(document["programs"])
    ]
    rest = {key: value for key, value in document.items() if key != "programs"}
    return {**_fill_env(rest, "", problems), "programs": programs}


def _fill_env(value: Any, path: str, problems: list[str]) -> Any:
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                problems.append(
                    f"{path or 'the file'}: environment variable {name} is not set: set it "
                    f"(export {name}=...) or write the value in its place"
                )
                return ""
            return os.environ[name]

        return _ENV_REF.sub(replace, value)
    if isinstance(value, list):
        return [_fill_env(item, f"{path}[{i}]", problems) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {
            key: _fill_env(item, f"{path}.{key}" if path else str(key), problems)
            for key, item in value.items()
        }
    return value
