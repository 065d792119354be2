"""The `referbee dev` stack that the site's browser tests run against, with a program that has
a brand, a leaderboard and an HTML-laden name, and helpers that make referral activity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.common import BROWSER, PHONE
from tests.e2e.stack import DevStack, request

KEY = "rk_site_admin_key_for_tests_0123456789"
PROGRAM = "beans"
OTHER = "tea"  # a second program: its site is built under programs/tea/
NAME = 'Bean <b>There</b> & "Co" <script>alert(1)</script>'
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
    '<circle cx="12" cy="12" r="10" fill="#fff"/></svg>'
)


def start_site_stack(workdir: Path) -> DevStack:
    stack = DevStack(workdir, KEY)
    (workdir / "brand").mkdir(exist_ok=True)
    (workdir / "brand" / "logo.svg").write_text(LOGO)
    (workdir / "referbee.yaml").write_text(
        f"""programs:
  - id: {PROGRAM}
    name: '{NAME}'
    landing_url: {stack.site}/shop/
    allowed_hosts: [127.0.0.1]
    currency: USD
    brand: {{primary_color: "#0b7a75", logo: brand/logo.svg, favicon: brand/logo.svg}}
    site:
      leaderboard: true
      leaderboard_size: 5
      pitch: "Share {{program}} and your friends get {{friend_reward}}."
    rewards:
      referrer: {{text: "$10 store credit", kind: credit, amount: 10}}
      friend: {{text: "15% off your first order", kind: percent, percent: 15}}
    emails: {{from: "Bean There <rewards@beans.example>"}}
  - id: {OTHER}
    name: Tea Time
    landing_url: {stack.site}/shop/
    allowed_hosts: [127.0.0.1]
    brand: {{primary_color: "#8e24aa"}}
    rewards:
      referrer: {{text: "A free tin of tea", kind: coupon}}
      friend: {{text: "10% off", kind: percent, percent: 10}}
    emails: {{from: "Tea Time <rewards@teas.example>"}}
"""
    )
    return stack.start()


def new_referrer(stack: DevStack, email: str, name: str, program: str = PROGRAM) -> dict[str, Any]:
    # As the shop's server asks (an admin key): answered with the stats link.
    reply = request(
        "POST",
        f"{stack.api}/v1/programs/{program}/referrers",
        {"email": email, "name": name},
        {"Authorization": f"Bearer {KEY}"},
    )
    assert reply.status in (200, 201), reply.body
    result: dict[str, Any] = reply.json()
    return result


def click(stack: DevStack, code: str, agent: str = BROWSER, channel: str = "") -> None:
    query = f"?ch={channel}" if channel else ""
    reply = request("GET", f"{stack.api}/r/{code}{query}", headers={"User-Agent": agent})
    assert reply.status == 302


def purchase(stack: DevStack, code: str, order: str, amount: float) -> None:
    body = {"event": "purchase", "order_id": order, "amount": amount, "ref": code}
    auth = {"Authorization": f"Bearer {KEY}"}
    reply = request("POST", f"{stack.api}/v1/programs/{PROGRAM}/conversions", body, auth)
    assert reply.status == 201, reply.body


def signup(stack: DevStack, code: str, order: str) -> None:
    pixel = f"{stack.api}/p.gif?program={PROGRAM}&event=signup&order={order}&ref={code}"
    assert request("GET", pixel, headers={"User-Agent": PHONE}).status == 200


def stats(stack: DevStack, token: str) -> dict[str, Any]:
    result: dict[str, Any] = request("GET", f"{stack.api}/v1/stats/{token}").json()
    return result


def serious_accessibility_problems(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def only_local(requests: list[str], stack: DevStack) -> list[str]:
    """The requests that went anywhere but the local stack (should be none)."""
    return [url for url in requests if not url.startswith((stack.api + "/", stack.site + "/"))]
