"""Lambda layers: libraries only some functions need, kept out of the one code package
Chalice builds for all of them.

`stripe` (with `requests` and what it needs) is imported only by the API function's Stripe
webhook route. In the shared package it tripled what every function unpacks before its
first request, the click function's included. It ships instead as a layer attached to the
API function alone (`functions/layers/payments/requirements.txt`), built by Chalice's own
layer packager (wheels for Lambda's platform and the functions' Python) and published only
when its content changes. Older versions are deleted once a new one is published: Lambda
keeps a deleted version available to the functions that already use it."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from chalice.config import Config
from chalice.deploy.packager import (
    DependencyBuilder,
    LayerDeploymentPackager,
    PipRunner,
    SubprocessPip,
)
from chalice.utils import UI, OSUtils

from .. import FUNCTIONS_DIR
from .aws import error_code
from .names import API_HANDLER, Names
from .state import Outcome

ARCHITECTURE = "x86_64"  # Chalice's default, which the functions are deployed with


@dataclass(frozen=True)
class Layer:
    name: str
    functions: tuple[str, ...]  # the Chalice functions it is attached to
    description: str

    @property
    def requirements(self) -> Path:
        return FUNCTIONS_DIR / "layers" / self.name / "requirements.txt"


PAYMENTS = Layer("payments", (API_HANDLER,), "stripe, for the API function's Stripe webhooks")
LAYERS = (PAYMENTS,)


def python_runtime() -> str:
    """The Lambda runtime Chalice deploys the functions with (from this Python's version)."""
    return str(Config.create().lambda_python_version)


def build_layer(layer: Layer, build_dir: Path, runtime: str) -> Path:
    """The layer's zip (python/lib/<runtime>/site-packages/...), built in `build_dir` and
    reused while its requirements are unchanged."""
    project = build_dir / "layers" / layer.name
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy2(layer.requirements, project / "requirements.txt")
    osutils = OSUtils()
    pip = PipRunner(pip=SubprocessPip(osutils=osutils), osutils=osutils)
    packager = LayerDeploymentPackager(
        osutils,
        DependencyBuilder(osutils=osutils, pip_runner=pip, architecture=ARCHITECTURE),
        UI(out=io.StringIO(), err=io.StringIO()),
        architecture=ARCHITECTURE,
    )
    return Path(packager.create_deployment_package(str(project), runtime))


def content_digest(archive: Path) -> str:
    """A digest of the zip's names and contents, not of its bytes: a rebuild of the same
    wheels on another machine (other timestamps) is the same layer."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(archive) as opened:
        for info in sorted(opened.infolist(), key=lambda i: i.filename):
            digest.update(info.filename.encode() + b"\0")
            digest.update(opened.read(info) + b"\0")
    return digest.hexdigest()


def ensure_layer(
    lam: Any, names: Names, layer: Layer, archive: Path, runtime: str, known: dict[str, Any]
) -> tuple[Outcome, dict[str, str]]:
    """The layer version with `archive`'s content, as recorded (`arn`, `digest`): the
    recorded one while it still exists, else a newly published one (older versions deleted)."""
    digest = content_digest(archive)
    arn = str(known.get("arn") or "")
    if arn and known.get("digest") == digest and _exists(lam, arn):
        name, version = arn.rsplit(":", 2)[-2:]
        return Outcome(False, f"{name} version {version} unchanged"), dict(known)
    published = lam.publish_layer_version(
        LayerName=names.layer(layer.name),
        Description=layer.description,
        Content={"ZipFile": archive.read_bytes()},
        CompatibleRuntimes=[runtime],
        CompatibleArchitectures=[ARCHITECTURE],
    )
    arn = published["LayerVersionArn"]
    delete_versions(lam, names.layer(layer.name), keep=published["Version"])
    size = archive.stat().st_size / 1e6
    detail = f"{names.layer(layer.name)} version {published['Version']} published ({size:.2f} MB)"
    return Outcome(True, detail), {"arn": arn, "digest": digest}


def delete_versions(lam: Any, layer_name: str, keep: int | None = None) -> list[int]:
    """Delete every version of the layer but `keep`; the versions deleted."""
    deleted: list[int] = []
    try:
        pages = lam.get_paginator("list_layer_versions").paginate(LayerName=layer_name)
        versions = [v["Version"] for page in pages for v in page["LayerVersions"]]
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return deleted
        raise
    for version in versions:
        if version != keep:
            lam.delete_layer_version(LayerName=layer_name, VersionNumber=version)
            deleted.append(version)
    return deleted


def _exists(lam: Any, arn: str) -> bool:
    """Whether the layer version `arn` (arn:...:layer:NAME:VERSION) still exists."""
    name, version = arn.rsplit(":", 2)[-2:]
    try:
        lam.get_layer_version(LayerName=name, VersionNumber=int(version))
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return False
        raise
    return True
