"""Cost per million clicks and per million conversions on AWS list prices, from the request
counts and capacity units measured in the same run.

Formula per million operations:
  the front's requests (Lambda Function URL: $0; API Gateway HTTP API; REST API)
  + Lambda requests + Lambda GB-seconds (memory x billed duration)
  + DynamoDB write request units + read request units
  + CloudWatch Logs ingestion for Lambda's per-invocation lines
  + the work the operation leaves to the rollup function (its share of a stream batch's
  DynamoDB units, invocation and duration; reading the stream is free for Lambda).
Billed duration = measured warm handler time (in-memory store) + one DynamoDB round trip
per request at ASSUMED_ROUND_TRIP_MS, rounded up to Lambda's 1 ms billing granularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bench import setup_paths
from bench.capacity import Units

setup_paths()

# us-east-1 list prices (on-demand), per unit stated in the name.
PRICES = {
    "api_gateway_rest_per_million": 3.50,
    "api_gateway_http_per_million": 1.00,
    "lambda_requests_per_million": 0.20,
    "lambda_gb_second": 0.0000166667,
    "dynamodb_write_units_per_million": 0.625,
    "dynamodb_read_units_per_million": 0.125,
    "logs_ingestion_per_gb": 0.50,
}
ASSUMED_ROUND_TRIP_MS = 5.0  # DynamoDB from Lambda in one region: typically 3-8 ms
LOG_BYTES_PER_INVOCATION = 350  # START, END and REPORT lines Lambda writes itself


FRONTS = {
    "Function URL": 0.0,
    "HTTP API": PRICES["api_gateway_http_per_million"],
    "REST API": PRICES["api_gateway_rest_per_million"],
}


@dataclass(frozen=True)
class Background:
    """What one operation leaves to the rollup function: its share of a batch."""

    units: Units = field(default_factory=Units)
    invocations: float = 0.0  # rollup invocations per operation (1 / records per batch)
    billed_ms: float = 0.0  # rollup duration per operation


@dataclass
class Cost:
    operation: str
    requests: int
    units: Units
    billed_ms: int
    per_million: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.per_million.values())


def lambda_memory_mb() -> int:
    """The memory `referbee deploy` gives the functions."""
    from referbee.deploy.project import LAMBDA_MEMORY_MB

    return LAMBDA_MEMORY_MB


def estimate(
    operation: str,
    requests: int,
    units: Units,
    handler_us: float,
    front: str = "REST API",
    background: Background | None = None,
) -> Cost:
    background = background or Background()
    memory_gb = lambda_memory_mb() / 1024
    billed_ms = math.ceil(handler_us / 1000 + requests * ASSUMED_ROUND_TRIP_MS)
    gb_second = memory_gb / 1000 * PRICES["lambda_gb_second"] * 1e6  # per ms, per million
    invocations = 1 + background.invocations
    per_million = {
        "front": FRONTS[front],
        "Lambda requests": PRICES["lambda_requests_per_million"] * invocations,
        "Lambda compute": (billed_ms + background.billed_ms) * gb_second,
        "DynamoDB writes": (units.write + background.units.write)
        * PRICES["dynamodb_write_units_per_million"],
        "DynamoDB reads": (units.read + background.units.read)
        * PRICES["dynamodb_read_units_per_million"],
        "Logs": invocations
        * LOG_BYTES_PER_INVOCATION
        * 1e6
        / 1e9
        * PRICES["logs_ingestion_per_gb"],
    }
    return Cost(f"{operation}, {front}", requests, units, billed_ms, per_million)


def rollup_share(batch_units: Units, batch_records: int, batch_ms: float) -> Background:
    """One record's share of a rollup batch measured in the same run."""
    return Background(
        Units(batch_units.read / batch_records, batch_units.write / batch_records),
        1 / batch_records,
        math.ceil(batch_ms) / batch_records,
    )


def monthly(cost: Cost, operations: float) -> float:
    return cost.total * operations / 1e6


def table(costs: list[Cost]) -> str:
    parts = list(costs[0].per_million)
    lines = [
        f"Lambda memory {lambda_memory_mb()} MB; billed duration = measured handler time + "
        f"{ASSUMED_ROUND_TRIP_MS:g} ms per DynamoDB request (assumed round trip), rounded up to "
        "1 ms. Prices: us-east-1 list, on-demand: "
        + ", ".join(f"{name.replace('_', ' ')} ${price:g}" for name, price in PRICES.items())
        + ".",
        "",
        "| per million | requests | write units | read units | billed ms | "
        + " | ".join(parts)
        + " | **total** |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(parts) + "---:|",
    ]
    for cost in costs:
        lines.append(
            f"| {cost.operation} | {cost.requests} | {cost.units.write:g} | {cost.units.read:g} | "
            f"{cost.billed_ms} | "
            + " | ".join(f"${cost.per_million[p]:.2f}" for p in parts)
            + f" | **${cost.total:.2f}** |"
        )
    return "\n".join(lines)


def monthly_lines(costs: list[Cost], clicks: float) -> str:
    """What the clicks cost a month at `clicks` a month, on each front."""
    lines = [f"At {clicks / 1e6:,.0f} million clicks a month:", ""]
    for row in costs:
        if row.operation.startswith("click, "):
            lines.append(f"- {row.operation}: ${monthly(row, clicks):,.2f} a month")
    return "\n".join(lines)
