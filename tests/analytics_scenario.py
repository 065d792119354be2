"""A program's month, seeded through the domain services with a moving clock, and its KPIs
worked out by hand below. The functional tests read them from the API; the end-to-end and
browser tests from `referbee dev`'s API, `referbee report --format json` and the dashboard.

Days are counted back from `today` (UTC); every event happens at 01:00 plus a few minutes,
so the scenario lands on the same days whatever the time of day it runs. The report covers
the last 30 days (today included).

- Ana joined D-25. Clicks: D-20 v1 twice and v2 by email; D-10 v3 and v4 by x to the
  `sale` page. v2 signs up D-19 and buys 100 (cust-1) D-18; cust-1 buys 40 again D-3, named
  by customer_id only.
- Ben joined D-25. Clicks: D-15 v5..v8 by whatsapp; D-2 v9 direct. v5 buys 60 (cust-2)
  D-14, refunded D-12; cust-3 buys 80 D-13 with his ref only.
- Cleo joined D-25. Clicks: D-9 v10 and v11 by qr. v10 signs up D-9 and buys 50 (cust-4)
  D-8; cust-4 buys 20 again D-6 with her ref.
- Dan joined D-25 and did nothing.
- Eve joined D-40. Clicks: D-35 (before the period) v12 by email; D-5 v13 by facebook,
  who buys 30 (cust-5) the same day.

Rewards: the referrer gets 10 EUR and the friend 15% of each purchase, held 7 days. The
approvals run at the end (today, 12:00); Ana's 10 EUR for the D-18 purchase is then paid.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.domain.context import Context
from chalicelib.domain.conversions.flow import attribute_conversion
from chalicelib.domain.conversions.input import parse_conversion
from chalicelib.domain.conversions.refunds import refund_conversion
from chalicelib.domain.referrals.clicks import KnownCodes, record_click
from chalicelib.domain.referrals.referrers import issue_code
from chalicelib.domain.rewards.approvals import approve_due_rewards, mark_paid
from chalicelib.model.clock import FixedClock

from .common import BROWSER

PROGRAM: dict[str, Any] = {
    "id": "beans",
    "name": "Bean There",
    "landing_url": "https://beans.example/welcome",
    "allowed_hosts": ["beans.example"],
    "landing_pages": {"sale": "https://beans.example/sale"},
    "currency": "EUR",
    "identity_secret": "beans-identity-secret-0123",  # codes are issued as the shop's server
    "rewards": {
        "hold_days": 7,
        "referrer": {"text": "EUR 10 credit", "kind": "credit", "amount": 10},
        "friend": {"text": "15% off", "kind": "percent", "percent": 15},
    },
}


@dataclass
class Seeded:
    codes: dict[str, str]  # name -> code
    today: date


def seed(ctx: Context, today: date) -> Seeded:
    """Write the scenario through the services of `ctx` (whose clock must be a FixedClock)."""
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    program = ctx.catalogue.get("beans")
    known = KnownCodes()
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()

    def at(days_ago: int, minute: int = 0) -> None:
        clock.at = midnight - days_ago * 86400 + 3600 + minute * 60

    codes: dict[str, str] = {}
    for name, joined in (("Ana", 25), ("Ben", 25), ("Cleo", 25), ("Dan", 25), ("Eve", 40)):
        at(joined)
        body = {"email": f"{name.lower()}@example.com", "name": f"{name} Example"}
        codes[name] = issue_code(ctx, "beans", body, is_admin=True)[0].code

    def click(name: str, visitor: str, channel: str, page: str | None = None) -> str:
        redirect = record_click(
            ctx,
            known,
            codes[name],
            ip=f"198.51.100.{visitor[1:]}",
            user_agent=BROWSER,
            counted=True,
            channel=channel,
            page=page,
        )
        assert redirect is not None and redirect.counted
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(redirect.location).query)
        return query["click"][0]

    def convert(**body: Any) -> None:
        request = parse_conversion(ctx, program, body, by_customer=True)
        attribute_conversion(ctx, program, request)

    at(35)
    click("Eve", "v12", "email")
    at(20)
    click("Ana", "v1", "email")
    at(20, 5)
    click("Ana", "v1", "email")
    at(20, 10)
    ana_v2 = click("Ana", "v2", "email")
    at(19)
    convert(event="signup", order_id="s-ana", click_id=ana_v2)
    at(18)
    convert(event="purchase", order_id="p1", amount=100, click_id=ana_v2, customer_id="cust-1")
    at(15)
    ben_v5 = click("Ben", "v5", "whatsapp")
    for visitor in ("v6", "v7", "v8"):
        click("Ben", visitor, "whatsapp")
    at(14)
    convert(event="purchase", order_id="p2", amount=60, click_id=ben_v5, customer_id="cust-2")
    at(13)
    convert(event="purchase", order_id="p3", amount=80, ref=codes["Ben"], customer_id="cust-3")
    at(12)
    refund_conversion(ctx, program, "p2")
    at(10)
    click("Ana", "v3", "x", "sale")
    click("Ana", "v4", "x", "sale")
    at(9)
    cleo_v10 = click("Cleo", "v10", "qr")
    click("Cleo", "v11", "qr")
    at(9, 30)
    convert(event="signup", order_id="s-cleo", click_id=cleo_v10)
    at(8)
    convert(event="purchase", order_id="p4", amount=50, click_id=cleo_v10, customer_id="cust-4")
    at(6)
    convert(event="purchase", order_id="p5", amount=20, ref=codes["Cleo"], customer_id="cust-4")
    at(5)
    eve_v13 = click("Eve", "v13", "facebook")
    convert(event="purchase", order_id="p7", amount=30, click_id=eve_v13, customer_id="cust-5")
    at(3)
    convert(event="purchase", order_id="p6", amount=40, customer_id="cust-1")
    at(2)
    click("Ben", "v9", "")
    clock.at = midnight + 12 * 3600
    approve_due_rewards(ctx)
    first = ctx.store.conversions.get_conversion("beans", "purchase", "p1")
    assert first is not None
    paid = next(r for r in first.rewards if r.side == "referrer")
    mark_paid(ctx, program, paid.reward_id)
    return Seeded(codes, today)


def expected_kpis() -> dict[str, Any]:
    """The report's `kpis`, worked out by hand from the scenario above."""
    revenue = Decimal(100 + 80 + 50 + 20 + 40 + 30)  # p2 was refunded
    paid, approved, pending = Decimal(10), Decimal("54.5"), Decimal("43.5")
    # approved: p1's friend 15, p3's 10 + 12, p4's 10 + 7.5 (their 7 days are over);
    # pending: p5's 10 + 3, p6's 10 + 6, p7's 10 + 4.5; void: p2's 10 + 9.
    cost = paid + approved + pending  # 108
    customers = 4  # cust-1, cust-3, cust-4, cust-5: cust-2's only purchase was refunded
    return {
        "participants": 5,
        "new_participants": 4,  # Eve joined before the period
        "active_referrers": 4,  # Ana, Ben, Cleo, Eve; Dan never clicked
        "clicks": 13,  # Ana 5, Ben 5, Cleo 2, Eve 1 (her D-35 click is outside)
        "unique_clicks": 12,  # v1 clicked Ana's link twice within 24 hours
        "signups": 2,
        "purchases": 6,
        "organic_signups": 0,  # every conversion here is reported by the shop's server
        "organic_purchases": 0,
        "successful_referrals": 6,
        # Rates count only conversions made through the period's clicks: both signups came
        # from a click; of the purchases, p1 (click D-20), p4 (D-9) and p7 (D-5) did, while
        # p3 and p5 named only a ref and p6 only its customer (p2 was refunded).
        "signups_from_clicks": 2,
        "purchases_from_clicks": 3,
        "other_signups": 0,
        "other_purchases": 3,
        "click_to_signup_rate": 0.1667,  # 2 / 12
        "click_to_purchase_rate": 0.25,  # 3 / 12
        "revenue": {"EUR": int(revenue)},
        "referred_revenue": int(revenue),
        "average_order_value": 53.33,  # 320 / 6
        "refunds": 1,
        "refunded": {"EUR": 60},
        "rewards": {
            "pending": {"count": 6, "value": {"EUR": 43.5}, "points": 0},
            "approved": {"count": 5, "value": {"EUR": 54.5}, "points": 0},
            "paid": {"count": 1, "value": {"EUR": 10}, "points": 0},
            "void": {"count": 2, "value": {"EUR": 19}, "points": 0},
            "clawback": {"count": 0, "value": {}, "points": 0},
        },
        "rewards_cost": int(cost),
        "new_customers": customers,
        "repeat_purchases": 2,  # p5 (cust-4) and p6 (cust-1): 4 first + 2 repeat = 6 purchases
        "cost_per_acquired_customer": 27,  # 108 / 4
        "roi": 1.963,  # (320 - 108) / 108 = 1.96296...
        "invites": 12,
        "invites_per_participant": 2.4,  # 12 / 5
        "successful_referrals_from_clicks": 3,  # p1, p4 and p7
        "invite_conversion_rate": 0.25,  # 3 / 12
        "viral_coefficient": 1.2,  # 2.4 x 0.5 = 6 / 5
        # cust-1 bought again 15 days after their first purchase, cust-4 2 days after;
        # revenue within the window: 140 + 80 + 70 + 30 = 320, over 4.
        "lifetime": {
            window: {"repeat_purchase_rate": 0.5, "revenue_per_customer": 80}
            for window in ("30", "90", "365")
        },
    }


def expected_channels() -> list[dict[str, Any]]:
    """Ordered by clicks, then purchases, then signups, then name."""
    return [
        {
            "name": "whatsapp",
            "label": "WhatsApp",
            "clicks": 4,
            "signups": 0,
            "purchases": 0,
            "revenue": 0,
        },
        {
            "name": "email",
            "label": "Email",
            "clicks": 3,
            "signups": 1,
            "purchases": 1,
            "revenue": 100,
        },
        {
            "name": "qr",
            "label": "QR code",
            "clicks": 2,
            "signups": 1,
            "purchases": 1,
            "revenue": 50,
        },
        {
            "name": "x",
            "label": "X (Twitter)",
            "clicks": 2,
            "signups": 0,
            "purchases": 0,
            "revenue": 0,
        },
        {
            "name": "facebook",
            "label": "Facebook",
            "clicks": 1,
            "signups": 0,
            "purchases": 1,
            "revenue": 30,
        },
        {
            "name": "direct",
            "label": "Link copied or typed",
            "clicks": 1,
            "signups": 0,
            "purchases": 0,
            "revenue": 0,
        },
        # p3 and p5 named only a ref, p6 only its customer: no click said where from.
        {
            "name": "unknown",
            "label": "Not known",
            "clicks": 0,
            "signups": 0,
            "purchases": 3,
            "revenue": 140,
        },
    ]


def expected_pages() -> list[dict[str, Any]]:
    return [
        {
            "name": "main",
            "label": "Main landing page",
            "clicks": 11,
            "signups": 2,
            "purchases": 6,
            "revenue": 320,
        },
        {
            "name": "sale",
            "label": "Landing page 'sale'",
            "clicks": 2,
            "signups": 0,
            "purchases": 0,
            "revenue": 0,
        },
    ]


def expected_models() -> list[dict[str, Any]]:
    return [
        {
            "name": "last_click",
            "label": "Last click",
            "signups": 2,
            "purchases": 5,
            "revenue": 280,
            "shared": 0,
        },
        {
            "name": "customer",
            "label": "Returning customer",
            "signups": 0,
            "purchases": 1,
            "revenue": 40,
            "shared": 0,
        },
    ]


def expected_top(codes: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Leaders by successful referrals (all time), with their numbers in the period."""
    rows = {
        "Ana": (2, 5, 4, 1, 2, 140),
        "Cleo": (2, 2, 2, 1, 2, 70),
        "Ben": (1, 5, 5, 0, 1, 80),
        "Eve": (1, 1, 1, 0, 1, 30),
    }
    return {
        codes[name]: {
            "code": codes[name],
            "name": f"{name} Example",
            "successful_referrals_all_time": all_time,
            "clicks": clicks,
            "unique_clicks": unique,
            "signups": signups,
            "purchases": purchases,
            "revenue": revenue,
        }
        for name, (all_time, clicks, unique, signups, purchases, revenue) in rows.items()
    }


def expected_days(today: date) -> dict[str, dict[str, Any]]:
    """The funnel on the days with activity (every other day of the period is zeros)."""

    def day(days_ago: int) -> str:
        return (today - timedelta(days=days_ago)).isoformat()

    rows = {
        20: (3, 2, 0, 0, 0),
        19: (0, 0, 1, 0, 0),
        18: (0, 0, 0, 1, 100),
        15: (4, 4, 0, 0, 0),
        14: (0, 0, 0, 0, 0),  # p2, refunded
        13: (0, 0, 0, 1, 80),
        10: (2, 2, 0, 0, 0),
        9: (2, 2, 1, 0, 0),
        8: (0, 0, 0, 1, 50),
        6: (0, 0, 0, 1, 20),
        5: (1, 1, 0, 1, 30),
        3: (0, 0, 0, 1, 40),
        2: (1, 1, 0, 0, 0),
    }
    return {
        day(ago): {
            "date": day(ago),
            "clicks": c,
            "unique_clicks": u,
            "signups": s,
            "purchases": p,
            "revenue": r,
        }
        for ago, (c, u, s, p, r) in rows.items()
    }
