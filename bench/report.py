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
from bench.requests_per_operation import Measured

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
        "rule counters it carries); issuance pays one UpdateItem for its rate limit, the stats "
        "view none (its limit is kept in the process).",
        lambda: requests_per_operation.table(trust_requests.run()),
    )
    analytics = analytics_requests.run()
    section(
        "DynamoDB requests of program analytics",
        "The same counting for program analytics (bench/analytics_requests.py): a click with a "
        "channel and a landing page, the rollup function's work for a batch of stream records "
        "(and for the same batch delivered again; and for 1,000 clicks on 100 codes, the first "
        "of their day, which moves each code's active day too), and reports over a month and a "
        "year of daily activity: one rollup item per day, not one per event.",
        lambda: requests_per_operation.table(analytics),
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
        "Lambda handlers invoked in one process, interleaved batches (bench/handler_cost.py): "
        "the click function with its URL's events, the app's REST route with API Gateway's; "
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
    throughput = local_throughput.measure()
    section(
        "Local stack throughput",
        local_throughput.__doc__.strip().replace("\n", " "),
        lambda: local_throughput.table(throughput),
    )
    section(
        "Local API keep-alive",
        local_keepalive.__doc__.strip().replace("\n", " "),
        lambda: local_keepalive.table(local_keepalive.measure()),
    )
    click_us = next(h.microseconds for h in handlers if h.name == handler_cost.URL_CLICK)
    rest_us = next(h.microseconds for h in handlers if h.name == handler_cost.REST_CLICK)
    naive_us = next(h.microseconds for h in handlers if h.name == "naive click")
    conversion_us = handler_cost.measure_conversion()
    costs = cost_rows(operations, analytics, click_us, rest_us, naive_us, conversion_us)
    section(
        "Cost per million operations",
        cost.__doc__.strip().split("\n\n", 1)[1].replace("\n", " "),
        lambda: cost.table(costs) + "\n\n" + cost.monthly_lines(costs, 100e6),
    )
    section(
        "Against the floor",
        "What issue 17 set out to reach, each figure measured above in this run.",
        lambda: floor_lines(operations, handlers, throughput, costs),
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


def cost_rows(
    operations: list[Measured],
    analytics: list[Measured],
    click_us: float,
    rest_us: float,
    naive_us: float,
    conversion_us: float,
) -> list[cost.Cost]:
    """Clicks on each front (with their share of the rollup batch that counts them),
    conversions, the naive baseline and the stats view."""
    of = requests_per_operation
    batch = next(units for name, _, units in analytics if name == analytics_requests.ROLLUP_BATCH)
    batch_calls = next(
        sum(c.values()) for n, c, _ in analytics if n == analytics_requests.ROLLUP_BATCH
    )
    batch_ms = analytics_requests.rollup_cpu_ms() + batch_calls * cost.ASSUMED_ROUND_TRIP_MS
    share = cost.rollup_share(batch, analytics_requests.BATCH_CLICKS, batch_ms)
    click = "click, new visitor (common path)"
    purchase = "conversion, API purchase (admin key)"
    naive = "naive click (baseline: read code, put event, update counter)"
    rows = [
        cost.estimate(
            "click",
            of.requests_of(operations, click),
            of.units_of(operations, click),
            click_us if front == "Function URL" else rest_us,
            front,
            share,
        )
        for front in cost.FRONTS
    ]
    for label, name, handler_us in (
        ("conversion (API purchase)", purchase, conversion_us),
        ("naive click (baseline)", naive, naive_us),
        ("stats view", "stats view", rest_us),
    ):
        rows.append(
            cost.estimate(
                label,
                of.requests_of(operations, name),
                of.units_of(operations, name),
                handler_us,
                "REST API",
            )
        )
    return rows


def floor_lines(
    operations: list[Measured],
    handlers: list[handler_cost.HandlerCost],
    throughput: local_throughput.Throughput,
    costs: list[cost.Cost],
) -> str:
    writes = {
        name: sum(n for op, n in calls.items() if op in requests_per_operation.WRITES)
        for name, calls, _ in operations
    }
    paths = [name for name in writes if name.startswith("click, ") and "bot" not in name]
    bare = handlers[0].microseconds
    by_name = {h.name: h.microseconds for h in handlers}
    click = next(c for c in costs if c.operation == "click, Function URL")
    lines = [f"- writes per counted click, {name[7:]}: **{writes[name]}**" for name in paths]
    stats = sum(next(c for n, c, _ in operations if n == "stats view").values())
    lines += [
        f"- requests per stats view: **{stats}**",
        f"- warm click, the click function on its Function URL: "
        f"**{by_name[handler_cost.URL_CLICK] / bare:.2f}x** a bare Chalice 302 (goal 1.5x); "
        f"the REST API route: {by_name[handler_cost.REST_CLICK] / bare:.2f}x",
        f"- local stack: **{throughput.clicks_per_second / throughput.updates_per_second:.2f}x** "
        "raw UpdateItem (goal 0.5x)",
        f"- cost per million clicks on the deployed default (Function URL): "
        f"**${click.total:.2f}** (goal $1.50), by the formula of the cost section",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
