"""The Chalice project staged into a build folder with this stage's settings: the code,
the program config, a policy file for each function, and the stage's config.json with each
function's memory, timeout and environment.

The staged copy keeps the checkout clean and makes the deploy reproducible: its content
(code, config, policies, programs) is fingerprinted, and an unchanged fingerprint with the
functions, API and rule still in place means there is nothing to deploy (app.py)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalice import __version__ as chalice_version

from .. import FUNCTIONS_DIR
from .names import API_GATEWAY_STAGE, ROLLUPS, SCHEDULED, Names

LAMBDA_MEMORY_MB = 256
LAMBDA_TIMEOUT_S = 10
# The scheduled function stops taking new deliveries after 40 s (domain/outbox/dispatch.py) and
# then finishes the one in hand (a webhook waits at most 10 s): a minute covers it.
SCHEDULED_TIMEOUT_S = 60
# A batch is up to 1,000 stream records, rolled up in a few batched reads and writes; a
# minute leaves room for throttled retries before Lambda redelivers the batch.
ROLLUP_TIMEOUT_S = 60
LOG_RETENTION_DAYS = 30


@dataclass(frozen=True)
class StageSettings:
    """What the staged project carries besides the code: `environment` for every function,
    `function_environment` added per function, each function's policy and the layers
    attached to it (all by Chalice function name)."""

    environment: dict[str, str]
    function_environment: dict[str, dict[str, str]]
    policies: dict[str, dict[str, Any]]
    layers: dict[str, list[str]] = field(default_factory=dict)  # layer version ARNs


def stage_project(
    project: Path,
    names: Names,
    settings: StageSettings,
    programs: dict[str, Any],
    deployed: dict[str, Any] | None,
) -> str:
    """Write the Chalice project for this stage into `project`; return its fingerprint."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(project / "chalicelib", ignore_errors=True)
    shutil.copytree(
        FUNCTIONS_DIR / "chalicelib",
        project / "chalicelib",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "programs.json"),
    )
    for name in ("app.py", "requirements.txt"):
        shutil.copy2(FUNCTIONS_DIR / name, project / name)
    (project / "chalicelib" / "programs.json").write_text(json.dumps(programs, sort_keys=True))
    chalice_dir = project / ".chalice"
    chalice_dir.mkdir(exist_ok=True)
    config = json.loads((FUNCTIONS_DIR / ".chalice" / "config.json").read_text())
    config["stages"] = {names.stage: _stage_config(names, settings)}
    (chalice_dir / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True))
    for stale in chalice_dir.glob("policy-*.json"):
        stale.unlink()
    for function, policy in settings.policies.items():
        (chalice_dir / policy_file(names, function)).write_text(json.dumps(policy, indent=2))
    deployed_file = chalice_dir / "deployed" / f"{names.stage}.json"
    if deployed:
        deployed_file.parent.mkdir(exist_ok=True)
        deployed_file.write_text(json.dumps(deployed, indent=2))
    else:
        deployed_file.unlink(missing_ok=True)
    return _fingerprint(project, names, sorted(settings.policies))


def policy_file(names: Names, function: str) -> str:
    return f"policy-{function}-{names.stage}.json"


def _stage_config(names: Names, settings: StageSettings) -> dict[str, Any]:
    # No stage-wide policy file: a function added to the app without its own policy makes
    # Chalice stop with an error rather than deploy it with another function's access.
    functions: dict[str, dict[str, Any]] = {
        function: {
            "iam_policy_file": policy_file(names, function),
            "environment_variables": settings.function_environment.get(function, {}),
        }
        for function in settings.policies
    }
    for function, arns in settings.layers.items():
        functions[function]["layers"] = list(arns)
    for function, timeout in ((SCHEDULED, SCHEDULED_TIMEOUT_S), (ROLLUPS, ROLLUP_TIMEOUT_S)):
        if function in functions:
            functions[function]["lambda_timeout"] = timeout
    return {
        "api_gateway_stage": API_GATEWAY_STAGE,
        "autogen_policy": False,
        "environment_variables": settings.environment,
        "lambda_functions": functions,
        "lambda_memory_size": LAMBDA_MEMORY_MB,
        "lambda_timeout": LAMBDA_TIMEOUT_S,
        "tags": {"referbee:stage": names.stage},
    }


def _fingerprint(project: Path, names: Names, functions: list[str]) -> str:
    place = f"{names.stage} {names.region} {names.account}"
    digest = hashlib.sha256(f"{chalice_version} {sys.version_info[:2]} {place}".encode())
    files = [project / "app.py", project / "requirements.txt", project / ".chalice" / "config.json"]
    files += [project / ".chalice" / policy_file(names, function) for function in functions]
    files += sorted(p for p in (project / "chalicelib").rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(project).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
