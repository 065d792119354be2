"""The demo shop: store pages that embed the widget the way a site owner would, and the shop's
own server (shop_server.py) that vouches for its signed-in customers and reports its orders."""

from __future__ import annotations

import copy
import html
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from chalicelib.domain.config.programs import parse_programs

from ..admin.client import AdminClient
from .shop_orders import PRODUCTS
from .shop_server import DemoShop
from .static import StaticServer

PAGES = Path(__file__).with_name("shop_pages")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
DEMO_IDENTITY_FILE = "demo_identity_secret"  # in the state folder, never in referbee.yaml


def with_demo_identity(document: dict[str, Any], state: Path) -> dict[str, Any]:
    """The built-in demo program with an identity secret, generated on the first run and kept
    in the state folder, so the demo shop's server can vouch for its customers as a real
    shop's does."""
    path = state / DEMO_IDENTITY_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32) + "\n")
        path.chmod(0o600)
    demo = copy.deepcopy(document)
    demo["programs"][0]["identity_secret"] = path.read_text().strip()
    return demo


def serve_shop(
    static: StaticServer, state: Path, document: dict[str, Any], *, api_url: str, admin_key: str
) -> None:
    """Write the shop's pages for the first program of `document` and serve them at
    `/shop/`, with the shop's server at `/shop/api/`."""
    pages = write_shop(state / "shop", document, api_url=api_url, site_url=static.url)
    program = parse_programs(document).get(document["programs"][0]["id"])
    shop = DemoShop(program, AdminClient(api_url, admin_key), state / "shop-orders.json")
    static.mount({"/shop/": pages})
    static.route("/shop/api/", shop.answer)


def write_shop(dest: Path, document: dict[str, Any], *, api_url: str, site_url: str) -> Path:
    """Render the shop pages into `dest` for the first program of `document`."""
    program = document["programs"][0]
    values = {
        "api": api_url,
        "site": site_url,
        "program": program["id"],
        "program_name": program.get("name", program["id"]),
        "currency": program.get("currency", "USD"),
        "locale": program.get("locale", "en"),
    }
    values = {name: str(value) for name, value in values.items()}
    # Pieces of markup: the product cards, and the parts the pages share (_name.html).
    markup = {"products": _products()}
    for part in sorted(PAGES.glob("_*.html")):
        markup[part.stem[1:]] = _filled(part.read_text(encoding="utf-8"), values, {})
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for page in PAGES.iterdir():
        if not page.name.startswith("_"):
            text = _filled(page.read_text(encoding="utf-8"), values, markup)
            (dest / page.name).write_text(text, encoding="utf-8")
    return dest


def _filled(text: str, values: dict[str, str], markup: dict[str, str]) -> str:
    """Each `{{name}}` replaced in one pass: by markup as it is, by a value escaped for HTML
    (so a value that holds `{{...}}` stays as it is)."""

    def replace(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in markup:
            return markup[name].rstrip("\n")
        if name in values:
            return html.escape(values[name], quote=True)
        return found.group(0)

    return PLACEHOLDER.sub(replace, text)


def _products() -> str:
    """The product cards; prices are formatted in the page (Intl), in its language."""
    cards = []
    for product in PRODUCTS.values():
        item, name = html.escape(product.id), html.escape(product.name)
        cards.append(
            f'<article><h2>{name}</h2><p class="price" data-price="{product.price}"></p>'
            f'<a class="buy" href="checkout.html?item={item}" '
            f'aria-label="Buy {name}">Buy</a></article>'
        )
    return "\n    ".join(cards)
