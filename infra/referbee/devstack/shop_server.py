"""The demo shop's server, under `{site}/shop/api/` on the local static server: what a real
shop's backend does for referbee, and nothing more.

- `GET customer?as=jane|sam`: the signed-in customer, with the signature of their email under
  the program's identity secret (the widget then shows them their private stats link);
  without an identity secret the shop cannot vouch for anyone, and says so (`signed: false`).
- `GET quote?item=&customer=`: the price at checkout, with the friend discount when the
  visitor came through a referral link (the widget's first-party cookie) on a first order.
- `POST orders` `{order_id, item, customer}`: takes the order and reports it to referbee's
  conversions API with the stack's admin key (the trusted path: it confirms what the
  browser's `convert` claims). A repeat of the same order id answers the same order.
- `GET orders/{id}`: an order as the thank-you page shows it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from chalicelib.domain.referrals.identity import identity_signature
from chalicelib.model.errors import ReferbeeError
from chalicelib.model.program import Program

from ..admin.client import AdminClient, quoted
from .shop_orders import (
    ORDER_ID_RE,
    Order,
    OrderBook,
    Referral,
    ShopInputError,
    customer_named,
    product_named,
    quote,
)
from .static import JsonRequest

Answer = tuple[int, dict[str, Any]]


class DemoShop:
    def __init__(self, program: Program, referbee: AdminClient, orders: Path) -> None:
        self.program = program
        self.referbee = referbee
        self.orders = OrderBook(orders)

    def answer(self, request: JsonRequest) -> Answer:
        """The JSON answer to one request; 4xx with `{"error": ...}` for bad input."""
        routes = {
            ("GET", "customer"): self.customer,
            ("GET", "quote"): self.quote,
            ("POST", "orders"): self.place_order,
        }
        try:
            if request.method == "GET" and request.path.startswith("orders/"):
                return self.order(request.path.removeprefix("orders/"))
            route = routes.get((request.method, request.path))
            if route is not None:
                return route(request)
            if any(path == request.path for _, path in routes):
                allowed = [method for method, path in routes if path == request.path]
                return 405, {"error": f"/shop/api/{request.path} answers {allowed[0]} only."}
            return 404, {"error": f"The demo shop has no /shop/api/{request.path[:80]}."}
        except ShopInputError as exc:
            return exc.status, {"error": exc.message}

    def customer(self, request: JsonRequest) -> Answer:
        params = _params(request.query)
        customer = customer_named(params.get("as"), "as")
        secret = self.program.identity_secret
        return 200, {
            "id": customer.id,
            "name": customer.name,
            "email": customer.email,
            "role": customer.role,
            "signature": identity_signature(secret, customer.email) if secret else None,
            "signed": secret is not None,
        }

    def quote(self, request: JsonRequest) -> Answer:
        params = _params(request.query)
        product = product_named(params.get("item"))
        known = params.get("customer")
        ordered = bool(known) and self.orders.has_ordered(customer_named(known).id)
        priced = quote(self.program, product, self._referral(request), ordered_before=ordered)
        return 200, priced.view()

    def place_order(self, request: JsonRequest) -> Answer:
        body = _json_body(request.body)
        order_id = body.get("order_id")
        if not isinstance(order_id, str) or not ORDER_ID_RE.fullmatch(order_id):
            raise ShopInputError("'order_id' must be 8-64 letters, digits or dashes.")
        customer = customer_named(body.get("customer"))
        product = product_named(body.get("item"))
        referral = self._referral(request)
        ordered = self.orders.has_ordered(customer.id)
        priced = quote(self.program, product, referral, ordered_before=ordered)
        taken = Order(
            order_id=order_id,
            customer=customer.id,
            item=product.id,
            subtotal=str(product.price),
            discount=str(priced.discount),
            discount_label=priced.discount_label,
            total=str(priced.total),
            currency=priced.currency,
            referral=referral.code if referral else "",
            click_id=referral.click_id if referral else "",
            report={},
        )
        order, placed = self.orders.place(taken)
        if (order.customer, order.item) != (customer.id, product.id):
            raise ShopInputError(f"Order {order_id} was placed already, for another cart.", 409)
        if not order.report.get("status"):  # not reported yet, or the last report failed
            order = replace(order, report=self._report(order))
            self.orders.update(order)
        return (201 if placed else 200), order.view()

    def order(self, order_id: str) -> Answer:
        found = self.orders.get(order_id) if ORDER_ID_RE.fullmatch(order_id) else None
        if found is None:
            raise ShopInputError(f"The shop has no order '{order_id[:64]}'.", 404)
        return 200, found.view()

    def _report(self, order: Order) -> dict[str, Any]:
        """Tell referbee of a referred order, as the shop's server: with the admin key, the
        order's real amount and the customer's email (fraud rules compare it to the
        referrer's). An order without a referral is none of referbee's business."""
        if not order.referral:
            return {"reported": False, "status": "no_referral"}
        report = {
            "event": "purchase",
            "order_id": order.order_id,
            "amount": order.total,
            "currency": order.currency,
            "ref": order.referral,
            "click_id": order.click_id or None,
            "email": customer_named(order.customer).email,
        }
        path = f"/v1/programs/{quoted(self.program.id)}/conversions"
        try:
            recorded = self.referbee.call("POST", path, report)
        except ReferbeeError as exc:
            return {"reported": False, "status": "", "error": exc.message}
        return {"reported": True, "status": recorded.get("status", "")}

    def _referral(self, request: JsonRequest) -> Referral | None:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(request.cookies)
        except CookieError:
            return None
        saved = cookie.get(f"referbee_{self.program.id}")
        return Referral.from_cookie(saved.value) if saved is not None else None


def _params(query: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(query).items()}


def _json_body(raw: bytes) -> Mapping[str, Any]:
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ShopInputError(
            'Send the order as a JSON object: {"order_id": ..., "item": ..., "customer": ...}.'
        )
    return body
