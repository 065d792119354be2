"""Runs every benchmark and writes bench/RESULTS.md (dated), printing the same text."""

from __future__ import annotations

import datetime
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    analytics_requests,
    client_cost,
    cold_start,
    cost,
    handler_cost,
    leaderboard_requests,
    local_keepalive,
    local_throughput,
    requests_per_operation,
    reward_requests,
    site_transfer,
    trust_requests,
    widget_size,
)

RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    started = time.perf_counter()
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    sections: list[str] = []

    def section(title: str, intro: str, body: Callable[[], str]) -> None:
        print(f"== {title}", file=sys.stderr, flush=True)
        sections.append(f"## {title}\n\n{intro}\n\n{body()}")

    operations = requests_per_operation.run()
    section(
        "DynamoDB requests and capacity units per operation",
        "Requests counted with botocore's event hooks while each operation runs through the "
        "Chalice handler and DynamoStore against moto; capacity units computed from the real "
        "item sizes with DynamoDB's pricing rules (bench/capacity.py).",
        lambda: requests_per_operation.table(operations),
    )
    section(
        "DynamoDB requests of the leaderboard",
        "The public board is one `Query` on GSI2; a viewer's stats token adds a `GetItem` "
        "(token version and program), and a bounded `COUNT` query when they are below the top.",
        lambda: requests_per_operation.table(leaderboard_requests.run()),
    )
    section(
        "DynamoDB requests per reward operation",
        "The same counting for the incentive engine (bench/reward_requests.py): conversions "
        "that issue rewards, refunds, and the scheduled function's approvals and deliveries.",
        lambda: requests_per_operation.table(reward_requests.run()),
    )
    section(
        "DynamoDB requests of trust and safety",
        "Fraud rules, the review queue, rate limits, admin keys and a person's data "
        "(bench/trust_requests.py): rules ride in the conversion's own transaction, so a clean "
        "conversion with every rule on is still one request (its write units grow with the "
        "rule counters it carries); issuance and stats pay one UpdateItem for their rate limit.",
        lambda: requests_per_operation.table(trust_requests.run()),
    )
    section(
        "DynamoDB requests of program analytics",
        "The same counting for program analytics (bench/analytics_requests.py): a click with a "
        "channel and a landing page, the rollup function's work for a batch of stream records "
        "(and for the same batch delivered again), and reports over a month and a year of "
        "daily activity: one rollup item per day, not one per event.",
        lambda: requests_per_operation.table(analytics_requests.run()),
    )
    section(
        "Widget size",
        "`widget/src` minified by `referbee widget build` (calmjs.parse for the script, rcssmin "
        "for its inlined stylesheet); `tests/unit/test_widget_build.py` fails above the budget.",
        widget_size.table,
    )
    section(
        "Stats page transfer size",
        site_transfer.__doc__.strip().replace("\n", " "),
        lambda: site_transfer.table(site_transfer.measure()),
    )
    handlers = handler_cost.measure()
    section(
        "Warm handler cost of a click (database faked in memory)",
        "Lambda handlers invoked with API Gateway events in one process, interleaved batches; "
        "the naive baseline reads the code, stores a click event and updates a counter.",
        lambda: handler_cost.table(handlers),
    )
    section(
        "Warm handler cost of a click with the DynamoDB client (requests answered in memory)",
        client_cost.__doc__.strip().replace("\n", " "),
        lambda: client_cost.table(client_cost.measure()),
    )
    section(
        "Cold start and package size",
        "Fresh processes, median of 9 runs each, interleaved.",
        lambda: cold_start.table(cold_start.measure()),
    )
    section(
        "Local stack throughput",
        local_throughput.__doc__.strip().replace("\n", " "),
        lambda: local_throughput.table(local_throughput.measure()),
    )
    section(
        "Local API keep-alive",
        local_keepalive.__doc__.strip().replace("\n", " "),
        lambda: local_keepalive.table(local_keepalive.measure()),
    )
    click_us = next(h.microseconds for h in handlers if h.name == "referbee click")
    naive_us = next(h.microseconds for h in handlers if h.name == "naive click")
    naive_name = "naive click (baseline: read code, put event, update counter)"
    common_click, api_purchase = (
        "click, new visitor (common path)",
        "conversion, API purchase (admin key)",
    )
    conversion_us = handler_cost.measure_conversion()
    section(
        "Cost per million operations",
        cost.__doc__.strip().split("\n\n", 1)[1].replace("\n", " "),
        lambda: cost.table(
            [
                cost.estimate(
                    "click (counted, unique visitor)",
                    requests_per_operation.requests_of(operations, common_click),
                    requests_per_operation.units_of(operations, common_click),
                    click_us,
                ),
                cost.estimate(
                    "conversion (API purchase)",
                    requests_per_operation.requests_of(operations, api_purchase),
                    requests_per_operation.units_of(
                        operations, "conversion, API purchase (admin key)"
                    ),
                    conversion_us,
                ),
                cost.estimate(
                    "naive click (baseline)",
                    requests_per_operation.requests_of(operations, naive_name),
                    requests_per_operation.units_of(operations, naive_name),
                    naive_us,
                ),
                cost.estimate(
                    "stats view",
                    requests_per_operation.requests_of(operations, "stats view"),
                    requests_per_operation.units_of(operations, "stats view"),
                    click_us,
                ),
            ]
        ),
    )
    elapsed = time.perf_counter() - started
    text = (
        f"# Benchmark results\n\nMeasured {today} on {platform.machine()} "
        f"({platform.system()}), Python {platform.python_version()}, by `bench/run` "
        f"in {elapsed:.0f} s. Ratios are measured side by side in the same run; absolute "
        "times vary with the machine's load.\n\n" + "\n\n".join(sections) + "\n"
    )
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
