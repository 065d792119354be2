"""`--cdn`: a CloudFront distribution over the private site bucket, reading it through an
origin access control (OAC), serving HTTPS on its cloudfront.net domain."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import DeployError
from .names import Names
from .state import Outcome

# AWS managed cache policy "CachingOptimized": honours the Cache-Control we upload with.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
# AWS managed response headers policy "SecurityHeadersPolicy": Strict-Transport-Security,
# X-Content-Type-Options, X-Frame-Options, Referrer-Policy on every response (S3 cannot set
# these; the pages also carry their own CSP and referrer policy as <meta>).
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
ORIGIN_ID = "site"
GET_AND_HEAD = {  # a behavior's allowed (and cached) methods
    "Quantity": 2,
    "Items": ["GET", "HEAD"],
    "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
}


@dataclass(frozen=True)
class Distribution:
    id: str
    arn: str
    domain: str
    oac_id: str


@dataclass(frozen=True)
class Access:
    """The origin access control a distribution signs its origin requests with."""

    name: str
    origin_type: str  # "s3" or "lambda"
    description: str


def ensure_distribution(
    cloudfront: Any,
    names: Names,
    known: dict[str, Any],
    remember: Callable[[dict[str, str]], None],
) -> tuple[Outcome, Distribution]:
    """Create the OAC and distribution, or bring an existing one's config up to date.
    `remember` records each id as soon as AWS returns it."""
    access = Access(names.oac, "s3", f"referbee {names.stage}: CloudFront reads the site bucket")
    return ensure_signed_distribution(
        cloudfront, access, known, remember, lambda oac_id: distribution_config(names, oac_id)
    )


def ensure_signed_distribution(
    cloudfront: Any,
    access: Access,
    known: dict[str, Any],
    remember: Callable[[dict[str, str]], None],
    config: Callable[[str], dict[str, Any]],
) -> tuple[Outcome, Distribution]:
    """A distribution whose origin requests `access` signs, its config `config(oac_id)`:
    created, or brought up to date. `remember` records each id as soon as AWS returns it."""
    changes: list[str] = []
    oac_id = known.get("oac_id") or _find_oac(cloudfront, access.name)
    if not oac_id:
        oac_id = cloudfront.create_origin_access_control(
            OriginAccessControlConfig={
                "Name": access.name,
                "Description": access.description,
                "SigningProtocol": "sigv4",
                "SigningBehavior": "always",
                "OriginAccessControlOriginType": access.origin_type,
            }
        )["OriginAccessControl"]["Id"]
        changes.append("origin access control created")
    remember({"oac_id": oac_id})
    wanted = config(oac_id)
    distribution_id = known.get("distribution_id")
    if distribution_id:
        current = cloudfront.get_distribution_config(Id=distribution_id)
        if _differs(current["DistributionConfig"], wanted):
            wanted["CallerReference"] = current["DistributionConfig"]["CallerReference"]
            cloudfront.update_distribution(
                Id=distribution_id, IfMatch=current["ETag"], DistributionConfig=wanted
            )
            changes.append("distribution updated")
        found = cloudfront.get_distribution(Id=distribution_id)["Distribution"]
    else:
        found = cloudfront.create_distribution(DistributionConfig=wanted)["Distribution"]
        changes.append("distribution created")
    result = Distribution(found["Id"], found["ARN"], found["DomainName"], oac_id)
    remember({"distribution_id": result.id, "arn": result.arn, "domain": result.domain})
    detail = ", ".join(changes) if changes else "up to date"
    return Outcome(bool(changes), f"{result.domain}: {detail}"), result


def distribution_config(names: Names, oac_id: str) -> dict[str, Any]:
    return {
        "CallerReference": f"referbee-{names.stage}-{names.bucket}",
        "Comment": f"referbee {names.stage} site",
        "Enabled": True,
        "DefaultRootObject": "index.html",
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": ORIGIN_ID,
                    "DomainName": f"{names.bucket}.s3.{names.region}.amazonaws.com",
                    "OriginAccessControlId": oac_id,
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": SECURITY_HEADERS,
            "Compress": True,
            "AllowedMethods": GET_AND_HEAD,
        },
        "CustomErrorResponses": {
            "Quantity": 2,
            "Items": [
                {"ErrorCode": code, "ResponsePagePath": "/404.html", "ResponseCode": "404"}
                for code in (403, 404)
            ],
        },
    }


def invalidate(cloudfront: Any, distribution_id: str, paths: list[str]) -> None:
    """Ask CloudFront to drop changed files (one path pattern per changed file, at most a
    handful: past 15 the whole site is invalidated, which costs the same single request)."""
    items = paths if len(paths) <= 15 else ["/*"]
    cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(items), "Items": items},
            "CallerReference": f"referbee-{time.time_ns()}",
        },
    )


def delete_distribution(cloudfront: Any, known: dict[str, Any], timeout: float = 1800) -> list[str]:
    """Disable, wait until CloudFront has deployed that, delete; then the OAC."""
    deleted: list[str] = []
    distribution_id = known.get("distribution_id")
    if distribution_id:
        try:
            current = cloudfront.get_distribution_config(Id=distribution_id)
        except cloudfront.exceptions.NoSuchDistribution:
            current = None
        if current is not None:
            config, etag = current["DistributionConfig"], current["ETag"]
            if config["Enabled"]:
                config["Enabled"] = False
                etag = cloudfront.update_distribution(
                    Id=distribution_id, IfMatch=etag, DistributionConfig=config
                )["ETag"]
            _wait_deployed(cloudfront, distribution_id, timeout)
            cloudfront.delete_distribution(Id=distribution_id, IfMatch=etag)
            deleted.append(f"distribution {distribution_id}")
    if known.get("oac_id"):
        try:
            etag = cloudfront.get_origin_access_control(Id=known["oac_id"])["ETag"]
            cloudfront.delete_origin_access_control(Id=known["oac_id"], IfMatch=etag)
            deleted.append("origin access control")
        except cloudfront.exceptions.NoSuchOriginAccessControl:
            pass
    return deleted


def _find_oac(cloudfront: Any, name: str) -> str | None:
    listing = cloudfront.list_origin_access_controls()["OriginAccessControlList"]
    for item in listing.get("Items", []):
        if item["Name"] == name:
            return str(item["Id"])
    return None


def _differs(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return not all(
        _contains(current.get(key), value)
        for key, value in wanted.items()
        if key != "CallerReference"
    )


def _contains(current: Any, wanted: Any) -> bool:
    """True when `current` has everything `wanted` sets (CloudFront echoes many defaults)."""
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(
            _contains(current.get(key), value) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(current) == len(wanted)
            and all(_contains(c, w) for c, w in zip(current, wanted, strict=True))
        )
    return bool(current == wanted)


def _wait_deployed(cloudfront: Any, distribution_id: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.5
    while time.monotonic() < deadline:
        status = cloudfront.get_distribution(Id=distribution_id)["Distribution"]["Status"]
        if status == "Deployed":
            return
        time.sleep(delay)
        delay = min(delay * 2, 20)
    raise DeployError(
        f"CloudFront did not finish disabling distribution {distribution_id} within "
        f"{timeout / 60:.0f} minutes; run 'referbee destroy' again later to finish"
    )
