"""The site bucket: an S3 static website (public read), or a private bucket that only the
stage's CloudFront distribution may read (`--cdn`)."""

from __future__ import annotations

import json
from typing import Any

from .aws import error_code
from .errors import BucketTakenError
from .names import Names
from .state import Outcome

INDEX = "index.html"
NOT_FOUND = "404.html"


def create_bucket(s3: Any, names: Names) -> bool:
    """Create the bucket; False when this account already owns it. Raises BucketTakenError
    when another account owns the name."""
    request: dict[str, Any] = {"Bucket": names.bucket}
    if names.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": names.region}
    try:
        s3.create_bucket(**request)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        return False
    except s3.exceptions.BucketAlreadyExists as exc:
        raise BucketTakenError(
            f"the bucket name '{names.bucket}' is taken by another AWS account; "
            "choose another with --bucket NAME"
        ) from exc
    s3.get_waiter("bucket_exists").wait(Bucket=names.bucket)
    return True


def configure_website(s3: Any, names: Names) -> list[str]:
    """Public-read website hosting. Returns what changed."""
    changes = _ensure_public_access_block(s3, names.bucket, block=False)
    changes += _ensure_policy(s3, names.bucket, _read_policy(names, "PublicReadForWebsite", "*"))
    wanted = {"IndexDocument": {"Suffix": INDEX}, "ErrorDocument": {"Key": NOT_FOUND}}
    try:
        current = s3.get_bucket_website(Bucket=names.bucket)
        current = {key: current[key] for key in wanted if key in current}
    except s3.exceptions.ClientError as exc:
        if error_code(exc) != "NoSuchWebsiteConfiguration":
            raise
        current = {}
    if current != wanted:
        s3.put_bucket_website(Bucket=names.bucket, WebsiteConfiguration=wanted)
        changes.append("website hosting on")
    return changes


def configure_private(s3: Any, names: Names, distribution_arn: str) -> list[str]:
    """Block all public access; only the distribution (through its OAC) may read."""
    changes = _ensure_public_access_block(s3, names.bucket, block=True)
    policy = _read_policy(
        names,
        "CloudFrontReadsSite",
        {"Service": "cloudfront.amazonaws.com"},
        {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    )
    changes += _ensure_policy(s3, names.bucket, policy)
    try:
        s3.get_bucket_website(Bucket=names.bucket)
        s3.delete_bucket_website(Bucket=names.bucket)
        changes.append("website hosting off")
    except s3.exceptions.ClientError as exc:
        if error_code(exc) != "NoSuchWebsiteConfiguration":
            raise
    return changes


def empty_and_delete(s3: Any, bucket: str) -> bool:
    """Delete every object, then the bucket. False when the bucket does not exist."""
    try:
        pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket))
    except s3.exceptions.NoSuchBucket:
        return False
    for page in pages:
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
    s3.delete_bucket(Bucket=bucket)
    return True


def outcome(created: bool, changes: list[str], bucket: str) -> Outcome:
    if created:
        return Outcome(True, f"{bucket}: created, " + ", ".join(changes))
    if changes:
        return Outcome(True, f"{bucket}: " + ", ".join(changes))
    return Outcome(False, f"{bucket}: up to date")


def _ensure_public_access_block(s3: Any, bucket: str, *, block: bool) -> list[str]:
    wanted = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": block,
        "RestrictPublicBuckets": block,
    }
    try:
        current = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    except s3.exceptions.ClientError as exc:
        if error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
            raise
        current = {}
    if current == wanted:
        return []
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=wanted)
    return ["public access blocked" if block else "public reads allowed"]


def _read_policy(
    names: Names,
    sid: str,
    principal: str | dict[str, str],
    condition: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A bucket policy of one statement: `principal` may read every object of the site."""
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:GetObject",
        "Resource": f"arn:{names.partition}:s3:::{names.bucket}/*",
    }
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def _ensure_policy(s3: Any, bucket: str, policy: dict[str, Any]) -> list[str]:
    try:
        current = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except s3.exceptions.ClientError as exc:
        if error_code(exc) != "NoSuchBucketPolicy":
            raise
        current = None
    if current == policy:
        return []
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return ["bucket policy set"]
