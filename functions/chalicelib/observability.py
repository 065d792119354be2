"""Structured logs and CloudWatch metrics (Powertools), shared by every route.

Both are cheap to construct and open no connection: metrics are written to stdout in
CloudWatch's embedded metric format and flushed after each request by the app middleware.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "referbee")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "referbee")

logger = Logger()
metrics = Metrics()


def flush_metrics() -> None:
    """Print the metrics gathered so far (one EMF line), or drop them when metrics are
    disabled (`referbee dev`, tests): Powertools keeps them otherwise, and prints them once
    100 values have piled up."""
    if not metrics.metric_set:
        return
    if os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() == "true":
        metrics.clear_metrics()
    else:
        metrics.flush_metrics()
