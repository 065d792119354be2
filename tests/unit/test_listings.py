"""Listing commands: a table with a header row and right-aligned numbers for people, the
rows as they are for scripts (--json, --csv); the rewards list names who is to be paid."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import click
import pytest
from click.testing import CliRunner

from referbee.cli import main
from tests.stand_in_api import stand_in_api
from tests.unit.test_cli import commands

REWARDS = [
    {
        "reward_id": "rw_ref_1",
        "status": "approved",
        "side": "referrer",
        "pay_to": "jane@example.com",
        "ref": "jane234",
        "referrer_name": "Jane Doe",
        "referrer_email": "jane@example.com",
        "kind": "credit",
        "text": "$10 store credit",
        "amount": 1234.5,
        "currency": "USD",
        "percent": "",
        "points": "",
        "coupon": "",
        "order_id": "o1",
        "created_at": "2026-11-02T14:05:00Z",
        "approve_at": "",
        "updated_at": "",
        "reason": "",
        "payable": True,
    },
    {
        "reward_id": "rw_friend_1",
        "status": "approved",
        "side": "friend",
        "pay_to": "",
        "ref": "jane234",
        "referrer_name": "Jane Doe",
        "referrer_email": "jane@example.com",
        "kind": "percent",
        "text": "15% off your first order",
        "amount": 4.5,
        "currency": "USD",
        "percent": 15,
        "points": "",
        "coupon": "",
        "order_id": "o1",
        "created_at": "2026-11-02T14:05:00Z",
        "approve_at": "",
        "updated_at": "",
        "reason": "",
        "payable": False,
    },
]
ANSWERS: dict[str, Any] = {
    "/analytics/rewards": {"rows": REWARDS, "next": None},
    "/reviews": {
        "reviews": [
            {
                "id": "purchase:o9",
                "status": "review",
                "ref": "jane234",
                "created_at": "2026-11-02T14:05:00Z",
                "amount": 30,
                "currency": "EUR",
                "flags": ["self_referral:visitor"],
            }
        ]
    },
    "/webhooks/log": {
        "deliveries": [
            {
                "at": "2026-11-02T14:05:00Z",
                "event": "reward.issued",
                "target": "https://shop.example/hook",
                "attempt": 1,
                "outcome": "delivered",
                "http_status": 200,
            }
        ]
    },
    "/keys": {
        "keys": [
            {
                "id": "key_1",
                "scope": "read",
                "revoked": False,
                "created_at": "2026-11-02T14:05:00Z",
                "programs": ["beans"],
                "name": "analyst",
            }
        ]
    },
    "/coupons": {"pools": [{"pool": "welcome", "available": 1200, "used": 3, "waiting": 2}]},
}


@pytest.fixture
def api() -> Iterator[str]:
    with stand_in_api(ANSWERS) as (address, _):
        yield address


LISTINGS = {
    "referbee rewards list": ["rewards", "list"],
    "referbee review": ["review"],
    "referbee webhooks log": ["webhooks", "log"],
    "referbee keys list": ["keys", "list"],
    "referbee coupons status": ["coupons", "status"],
}


def run(api: str, words: list[str], *extra: str) -> str:
    args = [*words, "--program", "beans", "--admin-key", "rk_x", "--api", api, *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_listing_command_takes_json_and_csv() -> None:
    listing = {
        path
        for path, command in commands(main)
        if any(isinstance(p, click.Option) and "--json" in p.opts for p in command.params)
    }
    assert listing == {*LISTINGS, "referbee report"}
    for path, command in commands(main):
        if path in LISTINGS:
            flags = {opt for p in command.params for opt in p.opts}
            assert {"--json", "--csv"} <= flags, path


@pytest.mark.parametrize("words", LISTINGS.values(), ids=list(LISTINGS))
def test_listings_have_a_header_row_and_rows_for_scripts(api: str, words: list[str]) -> None:
    table = run(api, words).splitlines()
    assert table[0].startswith("┏") and table[2].startswith("┡")  # the header, then the rows
    rows = json.loads(run(api, words, "--json"))
    assert rows and isinstance(rows[0], dict)
    parsed = list(csv.DictReader(io.StringIO(run(api, words, "--csv"))))
    assert len(parsed) == len(rows)
    assert set(parsed[0]) == set(rows[0])


def test_the_rewards_list_names_who_to_pay_and_what_is_not_a_payout(api: str) -> None:
    lines = run(api, ["rewards", "list"]).splitlines()
    header = [cell.strip() for cell in lines[1].strip("┃").split("┃")]
    assert header[:6] == ["Reward", "Status", "Side", "Pay to", "Reward text", "Value"]
    referrer = next(line for line in lines if "rw_ref_1" in line)
    friend = next(line for line in lines if "rw_friend_1" in line)
    assert "Jane Doe <jane@example.com>" in referrer
    assert "$1,234.50" in referrer and "Nov 2, 2026, 14:05 UTC" in referrer
    assert "nobody: a discount at checkout" in friend and "15.0% ($4.50)" in friend
    value = next(cell for cell in referrer.split("│") if "$1,234.50" in cell)
    assert value.endswith("$1,234.50 ")  # numbers are right-aligned
    assert value.index("$") > 1


def test_units_read_one_way(api: str) -> None:
    pools = run(api, ["coupons", "status"])
    assert "1,200" in pools and "2 rewards are waiting for codes" in pools
    queue = run(api, ["review"])
    assert "€30.00" in queue and "self_referral:visitor" in queue
