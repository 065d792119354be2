"""The referbee command-line tool: run the kit locally, deploy it, and report on programs."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

# The kit is used from its checkout: the Chalice project and the site sources live there.
KIT_ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS_DIR = KIT_ROOT / "functions"
