"""The scheduled function: every minute, approve rewards whose hold has ended and deliver the
outbox (webhooks and emails). `referbee dev` runs the same domain function (`run_due_work`)
in a thread."""

from __future__ import annotations

import functools
from typing import Any

from chalice.app import Blueprint, Rate

from ..domain.context import Links
from ..domain.outbox.schedule import DueWork, run_due_work
from ..observability import flush_metrics, logger, metrics
from ..outbound import Outbound
from .deps import context, settings

bp = Blueprint(__name__)


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="due_work")
def due_work(event: Any) -> None:
    work = run_scheduled()
    # Only what happened: a zero every minute would keep each metric billed as a custom
    # metric on an idle stage. Lambda calls this handler directly, outside the app and its
    # middleware, so the metrics are flushed here.
    if work.approved:
        metrics.add_metric(name="RewardsApproved", unit="Count", value=work.approved)
    if work.delivered:
        metrics.add_metric(name="Deliveries", unit="Count", value=work.delivered)
    flush_metrics()


def run_scheduled() -> DueWork:
    work = run_due_work(context(), outbound(), links())
    if work.approved or work.attempts:
        logger.info("due work done", extra=vars(work))
    return work


@functools.cache
def outbound() -> Outbound:
    config = settings()
    return Outbound(outbox_dir=config.outbox, region=config.region)


def links() -> Links:
    config = settings()
    return Links(
        api_base=config.api_url or "", site_base=config.site_url, link_base=config.link_url or ""
    )
