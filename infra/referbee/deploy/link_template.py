"""`referbee package`'s click path: the click function's Function URL, where referral links
point, and with `link_domain` a CloudFront distribution on that domain in front of it (the
certificate, in us-east-1, is the stack's `LinkCertificateArn` parameter: CloudFormation
cannot request one outside us-east-1 for CloudFront). The same resources `referbee deploy`
makes (links.py)."""

from __future__ import annotations

from typing import Any

from .links import ALL_VIEWER_EXCEPT_HOST, CACHING_DISABLED, ORIGIN_ID, PUBLIC, SIGNED
from .names import Names

CLICK_FUNCTION = "Clicks"  # Chalice's resource name for the `clicks` function
CLICK_URL = f"{CLICK_FUNCTION}Url"  # the URL SAM makes from the function's FunctionUrlConfig
DISTRIBUTION = "LinkDistribution"
CERTIFICATE = "LinkCertificateArn"


def add_link_resources(template: dict[str, Any], names: Names, domain: str | None) -> None:
    resources = template["Resources"]
    resources[CLICK_FUNCTION]["Properties"]["FunctionUrlConfig"] = {
        "AuthType": SIGNED if domain else PUBLIC
    }
    link: Any = f"https://{domain}" if domain else {"Fn::GetAtt": [CLICK_URL, "FunctionUrl"]}
    for resource in resources.values():
        if resource.get("Type") == "AWS::Serverless::Function":
            variables = resource["Properties"]["Environment"]["Variables"]
            variables["REFERBEE_LINK_URL"] = link
    outputs = template.setdefault("Outputs", {})
    outputs["ClickURL"] = {"Value": {"Fn::GetAtt": [CLICK_URL, "FunctionUrl"]}}
    if domain is None:
        # SAM grants the URL's own permission; calling the function through it is the other.
        resources["ClicksPublicInvoke"] = _invoke_permission("*", {})
        return
    template.setdefault("Parameters", {})[CERTIFICATE] = {
        "Type": "String",
        "AllowedPattern": "arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/.+",
        "Description": f"An ISSUED ACM certificate in us-east-1 for {domain}",
    }
    resources["LinkOriginAccessControl"] = {
        "Type": "AWS::CloudFront::OriginAccessControl",
        "Properties": {
            "OriginAccessControlConfig": {
                "Name": {"Fn::Sub": names.link_oac},
                "SigningProtocol": "sigv4",
                "SigningBehavior": "always",
                "OriginAccessControlOriginType": "lambda",
            }
        },
    }
    resources[DISTRIBUTION] = {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {"DistributionConfig": _distribution(domain)},
    }
    source = {
        "SourceArn": {
            "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/"
            f"${{{DISTRIBUTION}}}"
        }
    }
    resources["ClicksCloudFrontUrl"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "FunctionName": {"Ref": CLICK_FUNCTION},
            "Action": "lambda:InvokeFunctionUrl",
            "Principal": "cloudfront.amazonaws.com",
            "FunctionUrlAuthType": SIGNED,
            **source,
        },
    }
    resources["ClicksCloudFrontInvoke"] = _invoke_permission("cloudfront.amazonaws.com", source)
    outputs["LinkDistributionDomain"] = {"Value": {"Fn::GetAtt": [DISTRIBUTION, "DomainName"]}}


def _distribution(domain: str) -> dict[str, Any]:
    url_host = {"Fn::Select": [2, {"Fn::Split": ["/", {"Fn::GetAtt": [CLICK_URL, "FunctionUrl"]}]}]}
    return {
        "Comment": f"referbee referral links on {domain}",
        "Enabled": True,
        "Aliases": [domain],
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "ViewerCertificate": {
            "AcmCertificateArn": {"Ref": CERTIFICATE},
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        "Origins": [
            {
                "Id": ORIGIN_ID,
                "DomainName": url_host,
                "OriginAccessControlId": {"Fn::GetAtt": ["LinkOriginAccessControl", "Id"]},
                "CustomOriginConfig": {
                    "OriginProtocolPolicy": "https-only",
                    "OriginSSLProtocols": ["TLSv1.2"],
                },
            }
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_DISABLED,
            "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST,
            "AllowedMethods": ["GET", "HEAD"],
        },
    }


def _invoke_permission(principal: str, source: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "FunctionName": {"Ref": CLICK_FUNCTION},
            "Action": "lambda:InvokeFunction",
            "Principal": principal,
            "InvokedViaFunctionUrl": True,
            **source,
        },
    }
