"""What the demo shop's own server knows, as a real shop's would: its customers, its products
and prices, the friend discount a referred customer gets at checkout, and the orders it took.

Prices and discounts are decided here, never by the browser; the page only shows them.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from chalicelib.model.currencies import minor_digits
from chalicelib.model.incentives import RewardRule
from chalicelib.model.program import Program


@dataclass(frozen=True)
class Customer:
    id: str
    name: str
    email: str
    role: str  # who they are in the demo story, in words


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    price: Decimal


CUSTOMERS = {
    "jane": Customer("jane", "Jane Doe", "jane@example.com", "the referrer"),
    "sam": Customer("sam", "Sam Lee", "sam@example.com", "Jane's friend"),
}
PRODUCTS = {
    "guji": Product("guji", "Ethiopia Guji", Decimal("18.00")),
    "huila": Product("huila", "Colombia Huila", Decimal("16.50")),
}
ORDER_ID_RE = re.compile(r"[A-Za-z0-9-]{8,64}")
REF_RE = re.compile(r"[a-z0-9][a-z0-9-]{2,31}")


class ShopInputError(Exception):
    """Input the shop's server refuses: the message says what to send instead."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Referral:
    """What the widget saved in the shop's first-party cookie `referbee_{program}`."""

    code: str
    click_id: str

    @classmethod
    def from_cookie(cls, value: str) -> Referral | None:
        code, _, rest = value.partition("~")
        click_id = rest.partition("~")[0]
        if not REF_RE.fullmatch(code):
            return None
        return cls(code, click_id if click_id.startswith(code + ".") else "")


@dataclass(frozen=True)
class Quote:
    """One product at checkout: its price, the friend discount (or why there is none) and
    the total, all in the program's currency."""

    product: Product
    currency: str
    discount: Decimal
    discount_label: str  # "Friend discount (15% off your first order)", or ""
    note: str  # why a referred customer gets no discount here, or ""

    @property
    def total(self) -> Decimal:
        return self.product.price - self.discount

    def view(self) -> dict[str, Any]:
        discount = None
        if self.discount_label:
            discount = {"label": self.discount_label, "amount": float(self.discount)}
        return {
            "item": {"id": self.product.id, "name": self.product.name},
            "currency": self.currency,
            "subtotal": float(self.product.price),
            "discount": discount,
            "total": float(self.total),
            "note": self.note,
        }


def customer_named(raw: object, field: str = "customer") -> Customer:
    if not isinstance(raw, str) or raw not in CUSTOMERS:
        known = " or ".join(f"'{name}'" for name in CUSTOMERS)
        raise ShopInputError(f"Sign in first: '{field}' must be {known}.")
    return CUSTOMERS[raw]


def product_named(raw: object) -> Product:
    if not isinstance(raw, str) or raw not in PRODUCTS:
        known = ", ".join(PRODUCTS)
        raise ShopInputError(f"'item' must be one of the shop's products: {known}.")
    return PRODUCTS[raw]


def quote(
    program: Program,
    product: Product,
    referral: Referral | None,
    *,
    ordered_before: bool,
) -> Quote:
    """The price of `product` for a customer who came through `referral` (or not)."""
    rule = next((r for r in program.incentives.rules if r.side == "friend"), None)
    plain = Quote(product, program.currency, Decimal(0), "", "")
    if referral is None or rule is None:
        return plain
    refused = _why_no_discount(rule, product, ordered_before)
    if refused:
        return Quote(product, program.currency, Decimal(0), "", refused)
    reward = rule.reward
    if reward.kind == "percent" and reward.percent is not None:
        off = _rounded(product.price * reward.percent / 100, program.currency)
    elif reward.kind == "credit" and reward.amount is not None:
        off = min(reward.amount, product.price)
    else:
        note = f"Your friend's gift is not a discount: {reward.text}."
        return Quote(product, program.currency, Decimal(0), "", note)
    return Quote(product, program.currency, off, f"Friend discount ({reward.text})", "")


def _why_no_discount(rule: RewardRule, product: Product, ordered_before: bool) -> str:
    if rule.event != "purchase":
        return "The friend reward comes with signing up, not with an order."
    if rule.first_purchase_only and ordered_before:
        return "The friend discount is for a first order, and this customer has ordered before."
    if rule.min_amount is not None and product.price < rule.min_amount:
        return "This order is under the friend discount's minimum amount."
    return ""


def _rounded(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_digits(currency)), rounding=ROUND_HALF_UP)


@dataclass
class Order:
    order_id: str
    customer: str
    item: str
    subtotal: str
    discount: str
    discount_label: str
    total: str
    currency: str
    referral: str  # the referral code the order came with, or ""
    click_id: str
    report: dict[str, Any]  # what referbee answered to the shop's report (or the error)

    def view(self) -> dict[str, Any]:
        discount = None
        if self.discount_label:
            discount = {"label": self.discount_label, "amount": float(self.discount)}
        return {
            "order_id": self.order_id,
            "customer": self.customer,
            "customer_name": CUSTOMERS[self.customer].name,
            "item": {"id": self.item, "name": PRODUCTS[self.item].name},
            "currency": self.currency,
            "subtotal": float(self.subtotal),
            "discount": discount,
            "total": float(self.total),
            "referral": self.referral or None,
            "referbee": self.report,
        }


class OrderBook:
    """The orders the shop took, kept in one JSON file so that a restart remembers who has
    ordered before (the friend discount is for a first order)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._orders: dict[str, Order] = {}
        if path.exists():
            for raw in json.loads(path.read_text()).values():
                self._orders[raw["order_id"]] = Order(**raw)

    def get(self, order_id: str) -> Order | None:
        with self._lock:
            return self._orders.get(order_id)

    def has_ordered(self, customer: str) -> bool:
        with self._lock:
            return any(order.customer == customer for order in self._orders.values())

    def place(self, order: Order) -> tuple[Order, bool]:
        """Keep `order` unless its id is taken; (the order kept under that id, placed now)."""
        with self._lock:
            known = self._orders.get(order.order_id)
            if known is not None:
                return known, False
            self._orders[order.order_id] = order
            self._save()
            return order, True

    def update(self, order: Order) -> None:
        with self._lock:
            self._orders[order.order_id] = order
            self._save()

    def _save(self) -> None:
        data = {oid: asdict(order) for oid, order in self._orders.items()}
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True))
        temporary.replace(self._path)
