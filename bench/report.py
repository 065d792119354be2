"""Runs every benchmark and writes bench/RESULTS.md (dated), printing the same tables."""

from __future__ import annotations

import datetime
import platform
from pathlib import Path

from bench import requests_per_operation, reward_requests

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    sections = [
        "## DynamoDB requests per operation\n\n"
        "Counted with botocore's `before-call` event hook while each operation runs through "
        "the Chalice handler and DynamoStore against moto.\n\n"
        + requests_per_operation.table(requests_per_operation.run()),
        "## DynamoDB requests per reward operation\n\n"
        "The same counting for the incentive engine (bench/reward_requests.py): conversions "
        "that issue rewards, refunds, and the scheduled function's approvals and deliveries. "
        "The demo program's API purchase above already issues both sides' rewards.\n\n"
        + reward_requests.table(reward_requests.run()),
    ]
    text = (
        f"# Benchmark results\n\nMeasured {today} on {platform.machine()} with Python "
        f"{platform.python_version()} by `bench/run`.\n\n" + "\n\n".join(sections) + "\n"
    )
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
