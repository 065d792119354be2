"""Runs every benchmark and writes bench/RESULTS.md (dated), printing the same tables."""

from __future__ import annotations

import datetime
import platform
from pathlib import Path

from bench import requests_per_operation, widget_size

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    sections = [
        "## DynamoDB requests per operation\n\n"
        "Counted with botocore's `before-call` event hook while each operation runs through "
        "the Chalice handler and DynamoStore against moto.\n\n"
        + requests_per_operation.table(requests_per_operation.run()),
        "## Widget size\n\n"
        "`widget/src` minified by `refkit widget build` (calmjs.parse for the script, rcssmin "
        "for its inlined stylesheet); `tests/unit/test_widget_build.py` fails above the "
        "budget.\n\n" + widget_size.table(),
    ]
    text = (
        f"# Benchmark results\n\nMeasured {today} on {platform.machine()} with Python "
        f"{platform.python_version()} by `bench/run`.\n\n" + "\n\n".join(sections) + "\n"
    )
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
