"""`referbee report` for people: the period, one sentence, the KPIs with how each was
worked out, the funnel drawn in the terminal, the splits and the top referrers. Every
number goes through formats.py: counts as counts, money as money, rates as percentages."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from .. import formats
from ..formats import count, money, percent, ratio, things
from .terminal import funnel_plots

KpiRow = tuple[str, str, str]  # what, value, how it was worked out


def print_report(report: dict[str, Any], console: Console) -> None:
    period = report["period"]
    console.print(
        f"[bold]{report['name']}[/bold] ({report['program']}), {formats.day(period['from'])} "
        f"to {formats.day(period['to'])} ({things(period['days'], 'day', 'days')}, UTC)",
        markup=True,
    )
    console.print(summary(report), markup=False)
    kpis = Table(title="KPIs", title_justify="left")
    kpis.add_column("KPI")
    kpis.add_column("Value", justify="right")
    kpis.add_column("How it adds up")
    for row in kpi_rows(report):
        kpis.add_row(*row)
    console.print(kpis)
    plots = funnel_plots(report, min(console.width, 100), colors=console.is_terminal)
    if plots:
        console.print(plots, markup=False, highlight=False)
    currency = report["currency"]
    for key, title, first in (
        ("channels", "By share channel", "Channel"),
        ("landing_pages", "By landing page", "Landing page"),
        ("models", "By attribution model", "Model"),
    ):
        _print_splits(console, title, first, report[key], currency)
    _print_top(console, report["top_referrers"], currency)
    for note in report["notes"]:
        console.print(f"Note: {note}", markup=False)


def summary(report: dict[str, Any]) -> str:
    kpis, currency = report["kpis"], report["currency"]
    if not any(kpis[name] for name in ("clicks", "signups", "purchases", "new_participants")):
        return str(report["summary"])
    return (
        f"{things(kpis['clicks'], 'click', 'clicks')} ({count(kpis['unique_clicks'])} unique) "
        f"brought {things(kpis['signups'], 'sign-up', 'sign-ups')} and "
        f"{things(kpis['purchases'], 'purchase', 'purchases')} worth "
        f"{money(kpis['referred_revenue'], currency)}, for "
        f"{money(kpis['rewards_cost'], currency)} of rewards."
    )


def kpi_rows(report: dict[str, Any]) -> list[KpiRow]:
    k, cur = report["kpis"], report["currency"]
    unique = count(k["unique_clicks"])
    rows: list[KpiRow] = [
        (
            "Participants",
            count(k["participants"]),
            f"{count(k['new_participants'])} joined in the period",
        ),
        ("Active referrers", count(k["active_referrers"]), "their link was clicked"),
        ("Clicks", count(k["clicks"]), f"{unique} unique"),
        ("Sign-ups", count(k["signups"]), _split(k["signups_from_clicks"], k["other_signups"])),
        (
            "Click to sign-up",
            percent(k["click_to_signup_rate"]),
            f"{count(k['signups_from_clicks'])} of {unique} unique clicks",
        ),
        (
            "Purchases",
            count(k["purchases"]),
            f"{count(k['new_customers'])} by new customers, {count(k['repeat_purchases'])} repeat",
        ),
        (
            "Click to purchase",
            percent(k["click_to_purchase_rate"]),
            f"{count(k['purchases_from_clicks'])} of {unique} unique clicks bought; "
            f"{count(k['other_purchases'])} other purchases",
        ),
        ("Refunds", count(k["refunds"]), _amounts(k["refunded"], cur)),
        ("Referred revenue", money(k["referred_revenue"], cur), _others(k["revenue"], cur)),
        ("Average order", money(k["average_order_value"], cur), "revenue ÷ purchases"),
        ("Rewards cost", money(k["rewards_cost"], cur), "pending, approved and paid"),
    ]
    for status, reward in k["rewards"].items():
        if reward["count"]:
            value = money(reward["value"].get(cur, 0), cur)
            rows.append((f"Rewards {status}", value, _reward_detail(reward, cur)))
    rows += [
        ("New customers", count(k["new_customers"]), "first referred purchase in the period"),
        (
            "Cost per new customer",
            money(k["cost_per_acquired_customer"], cur),
            f"{money(k['rewards_cost'], cur)} ÷ "
            f"{things(k['new_customers'], 'new customer', 'new customers')}",
        ),
        ("ROI", percent(k["roi"]), "(revenue - rewards cost) ÷ rewards cost"),
        (
            "Invites per participant",
            ratio(k["invites_per_participant"]),
            f"{unique} invites (unique clicks) ÷ {count(k['participants'])} participants",
        ),
        (
            "Invite conversion",
            percent(k["invite_conversion_rate"]),
            f"{count(k['successful_referrals_from_clicks'])} successful referrals of {unique}",
        ),
        (
            "Viral coefficient",
            ratio(k["viral_coefficient"]),
            f"{count(k['successful_referrals'])} successful referrals ÷ "
            f"{count(k['participants'])} participants",
        ),
    ]
    for days, figures in k["lifetime"].items():
        rows.append((f"Repeat buyers ({days} days)", percent(figures["repeat_purchase_rate"]), ""))
    for days, figures in k["lifetime"].items():
        value = money(figures["revenue_per_customer"], cur)
        rows.append((f"Revenue per customer ({days} days)", value, ""))
    return rows


def _split(from_clicks: int, other: int) -> str:
    return f"{count(from_clicks)} through this period's clicks, {count(other)} otherwise"


def _amounts(amounts: dict[str, Any], currency: str) -> str:
    return ", ".join(money(value, code) for code, value in amounts.items())


def _others(revenue: dict[str, Any], currency: str) -> str:
    others = {code: value for code, value in revenue.items() if code != currency}
    return f"also {_amounts(others, currency)} (not in the ratios)" if others else ""


def _reward_detail(reward: dict[str, Any], currency: str) -> str:
    parts = [things(reward["count"], "reward", "rewards")]
    others = {code: value for code, value in reward["value"].items() if code != currency}
    if others:
        parts.append(_amounts(others, currency))
    if reward["points"]:
        parts.append(things(reward["points"], "point", "points"))
    return ", ".join(parts)


def _print_splits(
    console: Console, title: str, first: str, rows: list[dict[str, Any]], currency: str
) -> None:
    if not rows:
        console.print(f"{title}: nothing in this period.", markup=False)
        return
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    numbers = [key for key in ("clicks", "signups", "purchases", "shared") if key in rows[0]]
    titles = {"clicks": "Clicks", "signups": "Sign-ups", "purchases": "Purchases"}
    for key in numbers:
        table.add_column(titles.get(key, "Shared credit"), justify="right")
    table.add_column("Revenue", justify="right")
    for row in rows:
        cells = [count(row[key]) for key in numbers]
        table.add_row(row.get("label") or row["name"], *cells, money(row["revenue"], currency))
    console.print(table)


def _print_top(console: Console, rows: list[dict[str, Any]], currency: str) -> None:
    title = "Top referrers (by successful referrals, all time)"
    if not rows:
        console.print(f"{title}: nobody yet.", markup=False)
        return
    table = Table(title=title, title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Name")
    table.add_column("Code")
    columns = (
        ("successful_referrals_all_time", "Successful (all time)"),
        ("clicks", "Clicks"),
        ("unique_clicks", "Unique clicks"),
        ("signups", "Sign-ups"),
        ("purchases", "Purchases"),
    )
    for _, heading in columns:
        table.add_column(heading, justify="right")
    table.add_column("Revenue", justify="right")
    for row in rows:
        cells = [count(row[key]) for key, _ in columns]
        table.add_row(
            count(row["rank"]), row["name"], row["code"], *cells, money(row["revenue"], currency)
        )
    console.print(table)
