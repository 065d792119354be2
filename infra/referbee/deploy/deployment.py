"""`referbee deploy`: the steps, in order, each recorded in the state file as it completes.

The bucket (and, with --cdn, the distribution) comes before the API because the API's
environment carries the site's address; the upload comes last, after the site is built with
the API's address. Every step compares what exists with what is wanted and changes only
the difference, so a re-run with nothing changed changes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

__all__ = ["DeployOptions", "DeployResult", "Reporter", "deploy"]

from .. import legacy
from . import bucket, cdn, upload
from .app import api_url_of, deploy_app, reserve_rest_api
from .aws import AWS_ERRORS, error_code, failure
from .build import build_site_and_widget
from .errors import BucketTakenError, DeployError
from .keys import ensure_admin_key, ensure_secrets, public_programs
from .layers import LAYERS, build_layer, ensure_layer, python_runtime
from .links import ensure_links, planned_link_url
from .names import SCHEDULED
from .policy import function_policies, log_groups
from .preflight import DeployOptions, preflight
from .project import StageSettings, stage_project
from .state import Outcome, StateFile
from .table import ensure_table, stream_arn


class Reporter(Protocol):
    def step_started(self, title: str) -> None: ...

    def step_finished(self, title: str, outcome: Outcome, seconds: float) -> None: ...

    def step_failed(self, title: str, seconds: float) -> None: ...


@dataclass
class DeployResult:
    stage: str
    api_url: str
    site_url: str
    program: str
    state_path: Path
    admin_key: str | None = None
    link_url: str = ""  # where referral links point
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(outcome.changed for _, outcome in self.outcomes)

    @property
    def snippet(self) -> str:
        return (
            f'<script async src="{self.site_url}/widget/referbee.js" data-api="{self.api_url}" '
            f'data-program="{self.program}"></script>\n<div data-referbee-panel></div>'
        )


def deploy(options: DeployOptions, reporter: Reporter) -> DeployResult:
    run = _Run(options, reporter)
    run.step("Preflight: credentials, region, config, names", run.preflight)
    run.step("DynamoDB table", run.table)
    run.step("First admin key", run.admin_key)
    run.step("Secrets (SSM SecureString)", run.secrets)
    run.step("Site bucket" + (" and CloudFront" if options.cdn else ""), run.site_bucket)
    run.step("Lambda layer (stripe, for the API function only)", run.layers)
    run.step("API (Chalice: Lambda functions, IAM roles, API Gateway, schedule)", run.api)
    run.step("Referral links (Function URL; CloudFront on link_domain)", run.links)
    run.step("Site and widget build", run.build)
    run.step("Upload to S3", run.upload)
    return run.result


class _Run:
    def __init__(self, options: DeployOptions, reporter: Reporter) -> None:
        self.options = options
        self.reporter = reporter
        self.result = DeployResult(options.stage, "", "", "", Path())
        self.secrets_version = 0
        self.layer_arns: dict[str, list[str]] = {}  # by Chalice function name
        self.recorded: StateFile | None = None  # set once preflight has found the record

    def step(self, title: str, action: Callable[[], Outcome]) -> None:
        self.reporter.step_started(title)
        started = time.monotonic()
        try:
            outcome = action()
        except BaseException as exc:
            self.reporter.step_failed(title, time.monotonic() - started)
            if self.recorded is not None:
                self.recorded.record("incomplete_step", title)
            if isinstance(exc, AWS_ERRORS):
                raise failure(exc, title) from exc
            raise
        self.reporter.step_finished(title, outcome, time.monotonic() - started)
        self.result.outcomes.append((title, outcome))

    def preflight(self) -> Outcome:
        self.aws, self.names, self.document, self.state = preflight(self.options)
        self.recorded = self.state
        self.result.program = self.document["programs"][0]["id"]
        self.result.state_path = self.state.path
        self.result.link_url = planned_link_url(self.document, self.state.section("links"))
        self.state.record("stage", self.names.stage)
        self.state.record("region", self.aws.region)
        self.state.record("account", self.aws.account)
        return Outcome(
            False, f"account {self.aws.account}, {self.aws.region}, stage {self.names.stage}"
        )

    def table(self) -> Outcome:
        self.state.record("table", {"name": self.names.table, "arn": self.names.table_arn})
        return ensure_table(self.aws.client("dynamodb"), self.names.table)

    def admin_key(self) -> Outcome:
        known = self.state.section("admin_key").get("hash")
        key, digest = ensure_admin_key(self.aws.client("dynamodb"), self.names.table, known)
        self.state.record("admin_key", {"hash": digest})
        self.result.admin_key = key
        if key is None:
            return Outcome(False, "exists (shown when it was created)")
        return Outcome(True, "created (shown once, below)")

    def secrets(self) -> Outcome:
        self.state.record("secrets", {"parameter": self.names.secrets_parameter})
        outcome, version = ensure_secrets(self.aws.client("ssm"), self.names, self.document)
        self.secrets_version = version
        self.state.record(
            "secrets", {"parameter": self.names.secrets_parameter, "version": version}
        )
        return outcome

    def site_bucket(self) -> Outcome:
        names, s3 = self.names, self.aws.client("s3")
        mode = "cdn" if self.options.cdn else "website"
        self.state.record("bucket", {"name": names.bucket, "mode": mode})
        try:
            created = bucket.create_bucket(s3, names)
            if self.options.cdn:
                changes = self._cdn(s3)
            else:
                changes = bucket.configure_website(s3, names)
                self.result.site_url = f"http://{names.website_host}"
        except BucketTakenError:
            self.state.forget("bucket")
            raise
        except AWS_ERRORS as exc:
            if not self.options.cdn and error_code(exc) == "AccessDenied":
                raise DeployError(
                    "S3 refused the public-read website policy (the account's Block Public "
                    "Access settings forbid public buckets?); deploy with --cdn instead"
                ) from exc
            raise
        self.state.record(
            "bucket", {"name": names.bucket, "mode": mode, "site_url": self.result.site_url}
        )
        return bucket.outcome(created, changes, names.bucket)

    def layers(self) -> Outcome:
        runtime, lam = python_runtime(), self.aws.client("lambda")
        outcomes = []
        for layer in LAYERS:
            archive = build_layer(layer, self.options.build_dir, runtime)
            known = self.state.section("layers")
            outcome, record = ensure_layer(
                lam, self.names, layer, archive, runtime, known.get(layer.name) or {}
            )
            self.state.record("layers", {**known, layer.name: record})
            for function in layer.functions:
                self.layer_arns.setdefault(function, []).append(record["arn"])
            outcomes.append(outcome)
        return Outcome(any(o.changed for o in outcomes), "; ".join(o.detail for o in outcomes))

    def api(self) -> Outcome:
        known = self.state.section("app")
        chalice = reserve_rest_api(self.aws, self.names, known.get("chalice") or {})
        if chalice != known.get("chalice"):
            known = {**known, **self._app_names(), "chalice": chalice, "fingerprint": None}
            self.state.record("app", known)
        environment = {
            "REFERBEE_TABLE": self.names.table,
            "REFERBEE_SITE_URL": self.result.site_url,
            # Pinned to a version, so new secrets reach new containers only via a deploy.
            "REFERBEE_SECRETS_PARAMETER": f"{self.names.secrets_parameter}:{self.secrets_version}",
            # Read when Chalice loads the app: it subscribes the rollup function to the stream.
            "REFERBEE_STREAM_ARN": stream_arn(self.aws.client("dynamodb"), self.names.table),
            "REFERBEE_LINK_URL": self.result.link_url,
        }
        settings = StageSettings(
            environment,
            # The API handler derives its address from each request (right behind a custom
            # domain too); the scheduled function has no request, and emails need links.
            {SCHEDULED: {"REFERBEE_API_URL": api_url_of(chalice)}},
            function_policies(self.names, self.document),
            self.layer_arns,
        )
        project = self.options.build_dir / "chalice" / self.names.stage
        fingerprint = stage_project(
            project, self.names, settings, public_programs(self.document), chalice
        )

        def record(deployed: dict[str, Any]) -> None:
            self.state.record(
                "app", {**self._app_names(), "chalice": deployed, "fingerprint": None}
            )

        result = deploy_app(self.aws, project, self.names, fingerprint, known, record)
        self.result.api_url = result.api_url
        self.state.record(
            "app",
            {
                **self._app_names(),
                "chalice": result.deployed,
                "fingerprint": fingerprint,
                "api_url": result.api_url,
            },
        )
        return Outcome(result.outcome.changed, f"{result.api_url}: {result.outcome.detail}")

    def links(self) -> Outcome:
        def remember(fields: dict[str, str]) -> None:
            self.state.record("links", {**self.state.section("links"), **fields})

        outcome, url = ensure_links(self.aws, self.names, self.document, self.state, remember)
        if url != self.result.link_url:
            # The click URL is made with its function, after the API's first deploy: deploy
            # again so that referral links point at it.
            self.result.link_url = url
            self.api()
        return outcome

    def build(self) -> Outcome:
        out = self.options.build_dir / "site"
        config = self.options.config_path or legacy.config_file()
        build_site_and_widget(
            self.document,
            api_url=self.result.api_url,
            site_url=self.result.site_url,
            out=out,
            base_dir=config.resolve().parent,
        )
        count = sum(1 for p in out.rglob("*") if p.is_file())
        return Outcome(False, f"{count} files in {out}")

    def upload(self) -> Outcome:
        files = upload.site_files(self.options.build_dir / "site", directory_keys=self.options.cdn)
        outcome, changed = upload.sync(self.aws.client("s3"), self.names.bucket, files)
        distribution = self.state.section("cdn").get("distribution_id")
        if changed and distribution:
            cdn.invalidate(self.aws.client("cloudfront"), distribution, ["/" + k for k in changed])
        self.state.record("site", {"url": self.result.site_url, "files": len(files)})
        self.state.forget("incomplete_step")
        return outcome

    def _cdn(self, s3: Any) -> list[str]:
        cloudfront = self.aws.client("cloudfront")
        known = self.state.section("cdn")

        def remember(fields: dict[str, str]) -> None:
            self.state.record("cdn", {**self.state.section("cdn"), **fields})

        outcome, distribution = cdn.ensure_distribution(cloudfront, self.names, known, remember)
        self.result.site_url = f"https://{distribution.domain}"
        changes = bucket.configure_private(s3, self.names, distribution.arn)
        return ([outcome.detail] if outcome.changed else []) + changes

    def _app_names(self) -> dict[str, Any]:
        return {
            "functions": sorted(self.names.functions.values()),
            "roles": sorted(self.names.roles.values()),
            "log_groups": log_groups(self.names),
            "schedule_rule": self.names.schedule_rule,
        }
