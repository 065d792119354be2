"""`referbee deploy --cdn`: a private bucket read only by the stage's CloudFront distribution
through an origin access control; `destroy` disables and deletes both."""

from __future__ import annotations

from pathlib import Path

import pytest

from referbee.deploy.names import Names

from .inventory import inventory
from .moto_aws import ACCOUNT, REGION, client
from .support import Referbee, make_workdir

pytestmark = pytest.mark.deploy

NAMES = Names("cdn", REGION, ACCOUNT)


def test_cdn_deploy_serves_a_private_bucket_through_cloudfront(
    fresh_aws: str, tmp_path: Path
) -> None:
    referbee = Referbee(fresh_aws, make_workdir(tmp_path))
    result = referbee("deploy", "--stage", "cdn", "--region", REGION, "--cdn")
    assert result.exit_code == 0, result.output
    made = inventory(fresh_aws)
    (distribution,) = made["distributions"].values()
    assert f"Site         https://{distribution['DomainName']}/" in result.output
    origin = distribution["Origins"]["Items"][0]
    assert origin["DomainName"] == f"{NAMES.bucket}.s3.{REGION}.amazonaws.com"
    cloudfront = client("cloudfront", fresh_aws)
    (oac,) = cloudfront.list_origin_access_controls()["OriginAccessControlList"]["Items"]
    assert oac["Name"] == NAMES.oac
    # moto does not store an origin's OriginAccessControlId, so the link between origin and
    # OAC is not checked here; test_cdn.py checks the config referbee sends.
    behavior = distribution["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    # AWS's managed SecurityHeadersPolicy: HSTS, nosniff, frame and referrer policies.
    assert behavior["ResponseHeadersPolicyId"] == "67f7725c-6f97-4210-82d7-5512b31e9d03"

    s3 = client("s3", fresh_aws)
    block = s3.get_public_access_block(Bucket=NAMES.bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    (statement,) = made["buckets"][NAMES.bucket]["policy"]["Statement"]
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert statement["Condition"]["StringEquals"]["AWS:SourceArn"] == distribution["ARN"]
    objects = made["buckets"][NAMES.bucket]["objects"]
    # /stats/ is served from the key "stats/": S3's REST endpoint has no index documents.
    assert objects["stats/"]["content_type"] == "text/html; charset=utf-8"
    assert objects["stats/"]["etag"] == objects["stats/index.html"]["etag"]

    again = referbee("deploy", "--stage", "cdn", "--region", REGION, "--cdn")
    assert again.exit_code == 0, again.output
    assert "files, all up to date" in again.output
    assert inventory(fresh_aws)["distributions"].keys() == made["distributions"].keys()
    assert len(cloudfront.list_origin_access_controls()["OriginAccessControlList"]["Items"]) == 1

    switched = referbee("deploy", "--stage", "cdn", "--region", REGION)
    assert switched.exit_code == 1
    assert "serves its site with --cdn" in switched.output

    gone = referbee("destroy", "--stage", "cdn", "--delete-data", input="cdn\n")
    assert gone.exit_code == 0, gone.output
    left = inventory(fresh_aws)
    assert all(not resources for resources in left.values()), left
    oacs = client("cloudfront", fresh_aws).list_origin_access_controls()
    assert not oacs["OriginAccessControlList"].get("Items")
