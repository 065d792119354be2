"""The old name, read for one release: `REFKIT_*` environment variables, a `.refkit/` state
folder and a `refkit.yaml` keep working, each with a one-line deprecation warning on stderr.
Everything else in referbee speaks only of the new names; this module goes with the release
after next."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

OLD_PREFIX = "REFKIT_"
NEW_PREFIX = "REFERBEE_"
STATE_DIR = Path(".referbee")
OLD_STATE_DIR = Path(".refkit")
CONFIG_FILE = Path("referbee.yaml")
OLD_CONFIG_FILE = Path("refkit.yaml")

_warned: set[str] = set()


def adopt_environment(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Copy every `REFKIT_X` that has no `REFERBEE_X` to `REFERBEE_X` (the new name wins
    when both are set); returns the old names that were read."""
    env = os.environ if environ is None else environ
    adopted = []
    for name in sorted(env):
        if not name.startswith(OLD_PREFIX):
            continue
        new = NEW_PREFIX + name[len(OLD_PREFIX) :]
        if new not in env:
            env[new] = env[name]
            adopted.append(name)
            _warn(f"{name} is deprecated and will stop working in the next release: use {new}")
    return adopted


def state_dir() -> Path:
    """`.referbee/`, or an existing `.refkit/` when there is no `.referbee/` yet."""
    return _new_unless_only_old(STATE_DIR, OLD_STATE_DIR, "the state folder ")


def config_file() -> Path:
    """`referbee.yaml`, or an existing `refkit.yaml` when there is no `referbee.yaml`."""
    return _new_unless_only_old(CONFIG_FILE, OLD_CONFIG_FILE, "")


def _new_unless_only_old(new: Path, old: Path, what: str) -> Path:
    if new.exists() or not old.exists():
        return new
    slash = "/" if old == OLD_STATE_DIR else ""
    _warn(
        f"reading {what}{old}{slash}, which is deprecated: "
        f"rename it to {new}{slash} (mv {old} {new})"
    )
    return old


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"referbee: warning: {message}", file=sys.stderr)
