"""The click path's own address: the click function's Lambda Function URL, and with
`link_domain` in referbee.yaml a CloudFront distribution on that domain in front of it.

Without a link domain the URL is public (AuthType NONE) and referral links point at it.
With one, referral links point at `https://{link_domain}`, the URL accepts only requests
CloudFront signs (AuthType AWS_IAM, an origin access control of type lambda), and the
distribution serves the domain with an ACM certificate from us-east-1 (CloudFront's region):
deploy finds an issued one for the domain, or requests one and prints the DNS record that
validates it, and creates the distribution once it is issued (docs/deploy.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .aws import Aws
from .cdn import GET_AND_HEAD, Access, Distribution, ensure_signed_distribution
from .names import Names
from .state import Outcome, StateFile

CERTIFICATE_REGION = "us-east-1"  # CloudFront reads certificates from this region only
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS managed cache policy
# AWS managed origin request policy "AllViewerExceptHostHeader": the query string, the
# viewer's headers and CloudFront's (CloudFront-Viewer-Address among them), but not Host,
# which must be the URL's own for Lambda to route the request.
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ORIGIN_ID = "clicks"
PUBLIC = "NONE"
SIGNED = "AWS_IAM"


def link_domain(document: Mapping[str, Any]) -> str | None:
    """referbee.yaml's `link_domain` (validated with the config), or None."""
    return str(document.get("link_domain") or "").strip().lower() or None


def planned_link_url(document: Mapping[str, Any], known: Mapping[str, Any]) -> str:
    """Where referral links will point: the link domain, else the click URL made before
    ("" before the first deploy has made it)."""
    domain = link_domain(document)
    return f"https://{domain}" if domain else str(known.get("function_url", ""))


def ensure_links(
    aws: Aws,
    names: Names,
    document: Mapping[str, Any],
    state: StateFile,
    remember: Callable[[dict[str, str]], None],
) -> tuple[Outcome, str]:
    """The click URL, and with a link domain its certificate and distribution; returns
    what was done and where referral links point."""
    domain = link_domain(document)
    lam = aws.client("lambda")
    outcome, function_url = ensure_click_url(
        lam, names.click_function, SIGNED if domain else PUBLIC
    )
    remember({"function_url": function_url, "link_domain": domain or ""})
    if domain is None:
        return Outcome(outcome.changed, f"{function_url}: {outcome.detail}"), function_url
    acm = aws.client("acm", region=CERTIFICATE_REGION)
    certificate, waiting = ensure_certificate(acm, domain)
    if certificate is None:
        detail = f"https://{domain} waits for its certificate: {waiting}, then deploy again"
        return Outcome(True, detail), f"https://{domain}"
    known = state.section("links")
    done, distribution = ensure_link_distribution(
        aws.client("cloudfront"), names, domain, certificate, function_url, known, remember
    )
    allow_distribution(lam, names.click_function, distribution.arn)
    detail = f"https://{domain} (CNAME to {distribution.domain}): {done.detail}"
    return Outcome(outcome.changed or done.changed, detail), f"https://{domain}"


def ensure_click_url(lam: Any, function: str, auth: str) -> tuple[Outcome, str]:
    """The function's URL with `auth`, created or switched; the permission that lets anyone
    call it when it is public."""
    try:
        current = lam.get_function_url_config(FunctionName=function)
    except lam.exceptions.ResourceNotFoundException:
        current = None
    if current is None:
        url = lam.create_function_url_config(FunctionName=function, AuthType=auth)["FunctionUrl"]
        outcome = Outcome(True, "Function URL created")
    elif current["AuthType"] != auth:
        url = lam.update_function_url_config(FunctionName=function, AuthType=auth)["FunctionUrl"]
        outcome = Outcome(True, f"Function URL now {auth}")
    else:
        url, outcome = current["FunctionUrl"], Outcome(False, "Function URL up to date")
    if auth == PUBLIC:
        _allow(lam, function, "public", "*", {"FunctionUrlAuthType": PUBLIC})
    return outcome, str(url).rstrip("/")


def allow_distribution(lam: Any, function: str, distribution_arn: str) -> None:
    """Let the distribution (and only it) call the function through its signed URL."""
    _allow(lam, function, "cloudfront", "cloudfront.amazonaws.com", {"SourceArn": distribution_arn})


def ensure_certificate(acm: Any, domain: str) -> tuple[str | None, str]:
    """(an issued certificate's ARN, "") or (None, the DNS record that will validate the
    certificate requested for `domain`, as a line to print)."""
    pending = None
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        if summary["DomainName"] != domain:
            continue
        status = summary.get("Status")
        if status is None:
            status = acm.describe_certificate(CertificateArn=summary["CertificateArn"])[
                "Certificate"
            ]["Status"]
        if status == "ISSUED":
            return str(summary["CertificateArn"]), ""
        if status == "PENDING_VALIDATION":
            pending = str(summary["CertificateArn"])
    if pending is None:
        pending = acm.request_certificate(
            DomainName=domain, ValidationMethod="DNS", IdempotencyToken="referbee"
        )["CertificateArn"]
    certificate = acm.describe_certificate(CertificateArn=pending)["Certificate"]
    if certificate["Status"] == "ISSUED":
        return pending, ""
    for option in certificate.get("DomainValidationOptions", []):
        record = option.get("ResourceRecord")
        if record:
            return None, f"add the DNS record {record['Name']} {record['Type']} {record['Value']}"
    return None, f"certificate {pending} is waiting for DNS validation"


def ensure_link_distribution(
    cloudfront: Any,
    names: Names,
    domain: str,
    certificate: str,
    function_url: str,
    known: dict[str, Any],
    remember: Callable[[dict[str, str]], None],
) -> tuple[Outcome, Distribution]:
    access = Access(
        names.link_oac, "lambda", f"referbee {names.stage}: CloudFront calls the click URL"
    )
    origin = function_url.removeprefix("https://").rstrip("/")
    return ensure_signed_distribution(
        cloudfront,
        access,
        known,
        remember,
        lambda oac_id: link_distribution_config(names, domain, certificate, origin, oac_id),
    )


def link_distribution_config(
    names: Names, domain: str, certificate: str, origin: str, oac_id: str
) -> dict[str, Any]:
    """Every request to the domain goes to the click URL, uncached (each click is counted)."""
    return {
        "CallerReference": f"referbee-{names.stage}-links-{domain}",
        "Comment": f"referbee {names.stage} referral links",
        "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": [domain]},
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2and3",
        "ViewerCertificate": {
            "ACMCertificateArn": certificate,
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": ORIGIN_ID,
                    "DomainName": origin,
                    "OriginAccessControlId": oac_id,
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_DISABLED,
            "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST,
            "Compress": False,
            "AllowedMethods": GET_AND_HEAD,
        },
    }


def _allow(lam: Any, function: str, sid: str, principal: str, condition: dict[str, Any]) -> None:
    """Both permissions a caller of a Function URL needs: to call the URL, and to invoke the
    function through it (and only through it). Those an earlier deploy granted are kept."""
    granted = _statement_ids(lam, function)
    grants: tuple[tuple[str, str, dict[str, Any]], ...] = (
        (f"referbee-{sid}-url", "lambda:InvokeFunctionUrl", condition),
        (f"referbee-{sid}", "lambda:InvokeFunction", {"InvokedViaFunctionUrl": True}),
    )
    for statement, action, extra in grants:
        if statement in granted:
            continue
        if "SourceArn" in condition:
            extra = {**extra, "SourceArn": condition["SourceArn"]}
        lam.add_permission(
            FunctionName=function,
            StatementId=statement,
            Action=action,
            Principal=principal,
            **extra,
        )


def _statement_ids(lam: Any, function: str) -> set[str]:
    try:
        policy = json.loads(lam.get_policy(FunctionName=function)["Policy"])
    except lam.exceptions.ResourceNotFoundException:
        return set()
    return {str(statement.get("Sid")) for statement in policy.get("Statement", [])}
