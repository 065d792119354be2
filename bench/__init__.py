"""Benchmarks: `bench/run` runs them all and records the figures in bench/RESULTS.md."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_paths() -> None:
    """Import the Lambda code as Lambda does (functions/ on the path), with fake AWS
    credentials and quiet Powertools."""
    for path in (str(ROOT / "functions"), str(ROOT / "infra"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
