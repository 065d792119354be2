"""Every AWS name a deployment uses, derived from its stage (and account and region)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import DeployError

APP_NAME = "referbee"
API_GATEWAY_STAGE = "api"
# Chalice's names of the app's functions: the API handler, the scheduled function of
# functions/chalicelib/api/schedule.py (approvals and outbox delivery, every minute), the
# stream-fed function of functions/chalicelib/api/rollups.py (program analytics), and the
# click path behind its Function URL (functions/chalicelib/api/function_url.py).
API_HANDLER = "api_handler"
SCHEDULED = "due_work"
ROLLUPS = "rollups"
CLICKS = "clicks"
STAGE_RE = re.compile(r"[a-z][a-z0-9-]{0,14}[a-z0-9]|[a-z]")
BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")

# S3 website endpoints: these older regions use "s3-website-<region>", the rest a dot.
_DASH_WEBSITE_REGIONS = {
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "eu-west-1",
    "sa-east-1",
    "us-gov-west-1",
}


def check_stage(stage: str) -> str:
    if not STAGE_RE.fullmatch(stage):
        raise DeployError(
            f"the stage name '{stage[:40]}' is not valid: use 1-16 lower-case letters, digits "
            "or dashes, starting with a letter (e.g. prod, staging)"
        )
    return stage


def check_bucket_name(name: str) -> str:
    if not BUCKET_RE.fullmatch(name) or ".." in name or name.startswith("xn--"):
        raise DeployError(
            f"'{name[:70]}' is not a valid S3 bucket name: use 3-63 lower-case letters, "
            "digits, dots or dashes"
        )
    return name


@dataclass(frozen=True)
class Names:
    """The names of one stage's resources. The table, function and role carry the stage;
    the bucket also carries the account and region, because bucket names are global."""

    stage: str
    region: str
    account: str
    bucket_override: str | None = None

    @property
    def table(self) -> str:
        return f"{APP_NAME}-{self.stage}"

    @property
    def function(self) -> str:
        # Chalice names the API handler "<app>-<stage>" and its role the same.
        return f"{APP_NAME}-{self.stage}"

    @property
    def role(self) -> str:
        # Chalice's name for the role of a function with its own policy file.
        return f"{APP_NAME}-{self.stage}-{API_HANDLER}"

    @property
    def scheduled_function(self) -> str:
        # Chalice names every function but the API handler "<app>-<stage>-<name>", and its
        # role (with its own policy file) the same.
        return f"{APP_NAME}-{self.stage}-{SCHEDULED}"

    @property
    def scheduled_role(self) -> str:
        return self.scheduled_function

    @property
    def rollup_function(self) -> str:
        return f"{APP_NAME}-{self.stage}-{ROLLUPS}"

    @property
    def rollup_role(self) -> str:
        return self.rollup_function

    @property
    def click_function(self) -> str:
        return f"{APP_NAME}-{self.stage}-{CLICKS}"

    @property
    def link_oac(self) -> str:
        """The origin access control that signs CloudFront's requests to the click URL."""
        return f"{APP_NAME}-{self.stage}-links-{self.account}"

    @property
    def schedule_rule(self) -> str:
        """The EventBridge rule that invokes the scheduled function."""
        return f"{APP_NAME}-{self.stage}-{SCHEDULED}-event"

    @property
    def functions(self) -> dict[str, str]:
        """Lambda function name by Chalice function name."""
        return {
            API_HANDLER: self.function,
            SCHEDULED: self.scheduled_function,
            ROLLUPS: self.rollup_function,
            CLICKS: self.click_function,
        }

    @property
    def roles(self) -> dict[str, str]:
        """IAM role name by Chalice function name: one role (and policy) per function."""
        return {
            API_HANDLER: self.role,
            SCHEDULED: self.scheduled_role,
            ROLLUPS: self.rollup_role,
            CLICKS: self.click_function,
        }

    def layer(self, name: str) -> str:
        """A Lambda layer of this stage (deploy/layers.py)."""
        return f"{APP_NAME}-{self.stage}-{name}"

    @property
    def secrets_parameter(self) -> str:
        return f"/{APP_NAME}/{self.stage}/secrets"

    @property
    def bucket(self) -> str:
        if self.bucket_override:
            return self.bucket_override
        return f"{APP_NAME}-{self.stage}-site-{self.account}-{self.region}"

    @property
    def oac(self) -> str:
        return f"{APP_NAME}-{self.stage}-{self.account}"

    @property
    def website_host(self) -> str:
        separator = "-" if self.region in _DASH_WEBSITE_REGIONS else "."
        return f"{self.bucket}.s3-website{separator}{self.region}.amazonaws.com"

    def arn(self, service: str, resource: str, *, region: bool = True) -> str:
        where = self.region if region else ""
        return f"arn:{self.partition}:{service}:{where}:{self.account}:{resource}"

    @property
    def partition(self) -> str:
        if self.region.startswith("${"):
            return "${AWS::Partition}"
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    @property
    def table_arn(self) -> str:
        return self.arn("dynamodb", f"table/{self.table}")

    def api_url(self, rest_api_id: str) -> str:
        """The REST API's address, as Chalice reports it (without the trailing slash)."""
        suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        return f"https://{rest_api_id}.execute-api.{self.region}.{suffix}/{API_GATEWAY_STAGE}"
