"""`.referbee/deployed/<stage>.json`: what a deployment made, written as each step completes,
so an interrupted deploy can be continued and anything it created can be destroyed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """What one step did: `changed` is False when everything was already as wanted."""

    changed: bool
    detail: str


class StateFile:
    def __init__(self, state_dir: Path, stage: str) -> None:
        self.path = state_dir / f"{stage}.json"
        self.data: dict[str, Any] = {}
        if self.path.exists():
            self.data = json.loads(self.path.read_text())

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def section(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        return dict(value) if isinstance(value, dict) else {}

    def record(self, key: str, value: Any) -> None:
        """Store one entry and write the file at once (atomically)."""
        self.data[key] = value
        self.save()

    def forget(self, key: str) -> None:
        if key in self.data:
            del self.data[key]
            self.save()

    def save(self) -> None:
        self.data["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.data, indent=2, sort_keys=True) + "\n")
        partial.chmod(0o600)
        partial.replace(self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)
