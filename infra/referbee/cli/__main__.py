"""`python -m referbee.cli`: the `referbee` command."""

from __future__ import annotations

import os

from . import main

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
main()
