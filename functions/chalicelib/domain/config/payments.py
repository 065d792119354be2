"""The `payments:` and `discount_codes:` sections of a program in referbee.yaml: the webhook
secrets of Stripe and Shopify, what a paid order without a referral becomes, and the pattern of
each referrer's personal discount code (docs/payments.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...model.payments import (
    CODE_PLACEHOLDER,
    ORGANIC_POLICIES,
    ORGANIC_RECORD,
    DiscountCodes,
    PaymentSettings,
)
from .fields import FieldReader

PAYMENT_FIELDS = ("stripe", "shopify", "organic")
PROVIDER_FIELDS = {"stripe": ("webhook_secret", "api_key"), "shopify": ("webhook_secret",)}
MIN_SECRET = 16
_PATTERN_RE = re.compile(r"[A-Za-z0-9_-]{0,30}\{code\}[A-Za-z0-9_-]{0,30}")


def parse_payments(reader: FieldReader, raw: Any, path: str) -> PaymentSettings:
    data: Mapping[str, Any] = reader.mapping(raw, path)
    reader.only_known(data, PAYMENT_FIELDS, path)
    organic = reader.text(data, "organic", path, default=ORGANIC_RECORD)
    if organic not in ORGANIC_POLICIES:
        reader.fail(f"{path}.organic", f"'{organic}' is not one of {', '.join(ORGANIC_POLICIES)}")
    stripe = reader.mapping(data.get("stripe"), f"{path}.stripe")
    shopify = reader.mapping(data.get("shopify"), f"{path}.shopify")
    reader.only_known(stripe, PROVIDER_FIELDS["stripe"], f"{path}.stripe")
    reader.only_known(shopify, PROVIDER_FIELDS["shopify"], f"{path}.shopify")
    return PaymentSettings(
        stripe_secret=_secret(reader, stripe, "webhook_secret", f"{path}.stripe"),
        shopify_secret=_secret(reader, shopify, "webhook_secret", f"{path}.shopify"),
        organic=organic,
        stripe_api_key=_secret(reader, stripe, "api_key", f"{path}.stripe"),
    )


def parse_discount_codes(reader: FieldReader, raw: Any, path: str) -> DiscountCodes:
    data: Mapping[str, Any] = reader.mapping(raw, path)
    reader.only_known(data, ("pattern",), path)
    pattern = reader.text(data, "pattern", path, default=CODE_PLACEHOLDER, max_len=64)
    if not _PATTERN_RE.fullmatch(pattern):
        reader.fail(
            f"{path}.pattern",
            f"'{pattern}' must hold {CODE_PLACEHOLDER} once, with letters, digits, - or _ "
            "around it (e.g. FRIEND-{code})",
        )
        return DiscountCodes()
    return DiscountCodes(pattern)


def _secret(reader: FieldReader, data: Mapping[str, Any], name: str, path: str) -> str | None:
    secret = reader.optional_text(data, name, path, max_len=300)
    if secret is not None and len(secret) < MIN_SECRET:
        reader.fail(f"{path}.{name}", f"must be at least {MIN_SECRET} characters long")
    return secret
