"""`referbee deploy`'s options, and what is checked before anything is created: stage,
config, credentials, region, and that the stage is deployed where and as it was before."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import legacy
from ..config import load_config
from .aws import Aws, connect
from .errors import DeployError
from .names import Names, check_bucket_name, check_stage
from .state import StateFile


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
    """Everything checked before anything is created: stage, config, credentials, region."""
    check_stage(options.stage)
    if options.bucket is not None:
        check_bucket_name(options.bucket)
    if options.config_path is None and not legacy.config_file().exists():
        raise DeployError(
            "no referbee.yaml here: write one (see docs/config.md) or pass --config FILE"
        )
    document, _ = load_config(options.config_path)
    state = StateFile(options.state_dir, options.stage)
    aws = connect(options.region or state.get("region"), options.profile)
    _check_same_place(state, aws, options)
    bucket_name = options.bucket or state.section("bucket").get("name")
    return aws, Names(options.stage, aws.region, aws.account, bucket_name), document, state


def _check_same_place(state: StateFile, aws: Aws, options: DeployOptions) -> None:
    for key, now in (("account", aws.account), ("region", aws.region)):
        before = state.get(key)
        if before and before != now:
            raise DeployError(
                f"stage '{options.stage}' is deployed in {key} {before}, not {now}; pass the "
                f"matching --region/--profile, or destroy it there first ({state.path})"
            )
    recorded_bucket = state.section("bucket").get("name")
    if options.bucket and recorded_bucket and options.bucket != recorded_bucket:
        raise DeployError(
            f"stage '{options.stage}' uses the bucket {recorded_bucket}; destroy the stage "
            "first to move its site to another bucket"
        )
    mode = state.section("bucket").get("mode")
    wanted = "cdn" if options.cdn else "website"
    if mode and mode != wanted:
        flag = "with" if mode == "cdn" else "without"
        raise DeployError(
            f"stage '{options.stage}' serves its site {flag} --cdn; deploy it the same way, "
            "or destroy the stage first to switch"
        )
