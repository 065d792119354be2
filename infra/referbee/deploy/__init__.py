"""Deploying referbee to AWS: `deploy`, `destroy` and `package`, as a library.

The `referbee` command wraps these; each step reports to a `Reporter` and records what it made
in `.referbee/deployed/<stage>.json`."""

from __future__ import annotations

from .deployment import DeployResult, Reporter, deploy
from .errors import BucketTakenError, DeployError
from .packaging import PackageOptions, package
from .preflight import DeployOptions
from .state import Outcome
from .teardown import DestroyOptions, destroy

__all__ = [
    "BucketTakenError",
    "DeployError",
    "DeployOptions",
    "DeployResult",
    "DestroyOptions",
    "Outcome",
    "PackageOptions",
    "Reporter",
    "deploy",
    "destroy",
    "package",
]
