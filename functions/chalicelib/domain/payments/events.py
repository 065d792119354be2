"""A payment provider's webhook event once its signature is verified, and what handling it
did (the answer's body and the event's receipt)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RECORDED = "recorded"  # a purchase recorded (or a report confirmed one)
UNCHANGED = "unchanged"  # what the event says was already known
NOTED = "noted"  # kept until the purchase it concerns is recorded
SETTLED = "settled"  # a refund or dispute applied to its order's rewards
IGNORED = "ignored"  # nothing referbee reads, or nothing to do: acknowledged
DUPLICATE = "duplicate"  # this event id was handled before


@dataclass(frozen=True)
class ProviderEvent:
    """`obj` is the object the event is about: Stripe's `data.object`, Shopify's body."""

    provider: str  # stripe | shopify
    id: str
    type: str
    obj: Mapping[str, Any]


@dataclass(frozen=True)
class Handled:
    outcome: str
    detail: str = ""
    order_id: str = ""

    def view(self) -> dict[str, str]:
        body = {"outcome": self.outcome}
        if self.detail:
            body["detail"] = self.detail
        if self.order_id:
            body["order_id"] = self.order_id
        return body


def text_of(value: Any) -> str:
    """A provider's id field, which may also come expanded as an object with an `id`."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
