"""Runs every benchmark and writes bench/RESULTS.md (dated), printing the same tables."""

from __future__ import annotations

import datetime
import platform
from pathlib import Path

from bench import leaderboard_requests, requests_per_operation

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    sections = [
        "## DynamoDB requests per operation\n\n"
        "Counted with botocore's `before-call` event hook while each operation runs through "
        "the Chalice handler and DynamoStore against moto.\n\n"
        + requests_per_operation.table(requests_per_operation.run()),
        "## DynamoDB requests of the leaderboard\n\n"
        "The public board is one `Query` on GSI2; a viewer's stats token adds a `GetItem` "
        "(token version and program), and a bounded `COUNT` query when they are below the "
        "top.\n\n" + requests_per_operation.table(leaderboard_requests.run()),
    ]
    text = (
        f"# Benchmark results\n\nMeasured {today} on {platform.machine()} with Python "
        f"{platform.python_version()} by `bench/run`.\n\n" + "\n\n".join(sections) + "\n"
    )
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
