"""What `referbee deploy` checks before it creates anything: the stage and bucket names, the
program config, the AWS credentials and region, and that the stage is deployed the same way
as before. Every problem found is reported at once, so one run shows all there is to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib.model.errors import ConfigError, ProblemsError, ReferbeeError

from .. import legacy
from ..config import load_config
from .aws import Aws, connect
from .names import Names, check_bucket_name, check_stage
from .state import StateFile

HEADLINE = "deploy did not start; fix these first"


@dataclass
class DeployOptions:
    stage: str = "prod"
    region: str | None = None
    profile: str | None = None
    config_path: Path | None = None
    cdn: bool = False
    bucket: str | None = None
    state_dir: Path = field(default_factory=lambda: legacy.state_dir() / "deployed")
    build_dir: Path = Path("build")


def preflight(options: DeployOptions) -> tuple[Aws, Names, dict[str, Any], StateFile]:
    """Everything checked before anything is created; raise one error naming every problem
    (a ConfigError when the config is the only thing wrong)."""
    problems: list[str] = []
    config_problems: list[str] = []
    _collect(problems, check_stage, options.stage)
    if options.bucket is not None:
        _collect(problems, check_bucket_name, options.bucket)
    document: dict[str, Any] = {}
    if options.config_path is None and not legacy.config_file().exists():
        problems.append(
            "no referbee.yaml here: write one with `referbee init` (see docs/config.md) or "
            "pass --config FILE"
        )
    else:
        try:
            document, _ = load_config(options.config_path)
        except ConfigError as exc:
            config_problems = exc.problems
    state = StateFile(options.state_dir, options.stage) if not problems else None
    aws: Aws | None = None
    try:
        aws = connect(options.region or (state.get("region") if state else None), options.profile)
    except ReferbeeError as exc:
        problems.append(exc.message)
    if aws is not None and state is not None:
        problems += _same_place_problems(state, aws, options)
    if config_problems and not problems:
        raise ConfigError(config_problems)
    if problems or config_problems:
        raise ProblemsError(HEADLINE, problems + config_problems, 2 if config_problems else 1)
    assert aws is not None and state is not None  # no problem means both were found
    bucket_name = options.bucket or state.section("bucket").get("name")
    return aws, Names(options.stage, aws.region, aws.account, bucket_name), document, state


def _collect(problems: list[str], check: Any, value: str) -> None:
    try:
        check(value)
    except ReferbeeError as exc:
        problems.append(exc.message)


def _same_place_problems(state: StateFile, aws: Aws, options: DeployOptions) -> list[str]:
    problems = []
    for key, now in (("account", aws.account), ("region", aws.region)):
        before = state.get(key)
        if before and before != now:
            problems.append(
                f"stage '{options.stage}' is deployed in {key} {before}, not {now}; pass the "
                f"matching --region/--profile, or destroy it there first ({state.path})"
            )
    recorded_bucket = state.section("bucket").get("name")
    if options.bucket and recorded_bucket and options.bucket != recorded_bucket:
        problems.append(
            f"stage '{options.stage}' uses the bucket {recorded_bucket}; destroy the stage "
            "first to move its site to another bucket"
        )
    mode = state.section("bucket").get("mode")
    wanted = "cdn" if options.cdn else "website"
    if mode and mode != wanted:
        flag = "with" if mode == "cdn" else "without"
        problems.append(
            f"stage '{options.stage}' serves its site {flag} --cdn; deploy it the same way, "
            "or destroy the stage first to switch"
        )
    return problems
