"""GET /v1/programs/{program}/leaderboard over moto: masked names only, the viewer's rank."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.config.programs import parse_programs
from chalicelib.model.program import Catalogue
from tests.common import config_document
from tests.helpers import body_of, convert, new_referrer

PEOPLE = [
    ("jane.doe@example.com", "Jane Doe", 3),
    ("john@example.com", "John Smithson-Whitley", 2),
    ("amelie@example.com", "Amélie  Poulain", 2),
    ("zed@example.com", "zed@example.com", 1),
    ("nobody@example.com", "Nobody Atall", 0),
]


@pytest.fixture
def catalogue() -> Catalogue:
    document = config_document()
    document["programs"][0]["site"] = {"leaderboard": True, "leaderboard_size": 3}
    return parse_programs(document)


def fill_board(api: Any) -> dict[str, dict[str, Any]]:
    referrers = {}
    for index, (email, name, successes) in enumerate(PEOPLE):
        referrer = new_referrer(api, email=email, name=name)
        for n in range(successes):
            order = {
                "event": "purchase",
                "order_id": f"o{index}-{n}",
                "amount": 9,
                "ref": referrer["code"],
            }
            assert convert(api, order).status_code == 201, convert(api, order).body
        convert(api, {"event": "signup", "order_id": f"s{index}", "ref": referrer["code"]})
        referrers[email] = referrer
    return referrers


def test_board_lists_masked_names_and_never_an_email_or_last_name(api: Any) -> None:
    referrers = fill_board(api)
    response = api.http.get("/v1/programs/shop/leaderboard")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    board = body_of(response)
    assert board["size"] == 3 and board["you"] is None
    leaders = [(e["rank"], e["name"], e["successful_referrals"]) for e in board["leaders"]]
    assert leaders[0] == (1, "Jane D.", 3)
    assert sorted(leaders[1:]) == [(2, "Amélie P.", 2), (2, "John S.", 2)]  # a tie, any order
    raw = response.body.decode()
    assert "@" not in raw
    for _, name, _ in PEOPLE:
        assert name.split()[-1] not in raw  # no full last name, no email-as-name
    assert not any(r["code"] in raw for r in referrers.values())  # codes stay private


def test_viewer_sees_their_own_rank_even_below_the_top(api: Any) -> None:
    referrers = fill_board(api)
    zed = referrers["zed@example.com"]["stats_token"]
    response = api.http.get(f"/v1/programs/shop/leaderboard?t={zed}")
    assert response.headers["Cache-Control"] == "private, no-store"
    you = body_of(response)["you"]
    assert you == {
        "name": "A referrer",
        "successful_referrals": 1,
        "rank": 4,
        "rank_exact": True,
        "in_top": False,
    }
    jane = referrers["jane.doe@example.com"]["stats_token"]
    board = body_of(api.http.get(f"/v1/programs/shop/leaderboard?t={jane}"))
    assert board["leaders"][0]["you"] is True and board["you"]["rank"] == 1


def test_bad_input_gets_a_clear_4xx(api: Any) -> None:
    off = api.http.get("/v1/programs/acme/leaderboard")
    assert off.status_code == 404
    assert body_of(off) == {"error": "Program 'acme' has no leaderboard."}
    assert api.http.get("/v1/programs/nope/leaderboard").status_code == 404
    bad = api.http.get("/v1/programs/shop/leaderboard?t=%3Cscript%3E")
    assert bad.status_code == 400 and "stats token" in body_of(bad)["error"]
    forged = api.http.get("/v1/programs/shop/leaderboard?t=abc2345.1.aaaaaaaa")
    assert forged.status_code == 200 and body_of(forged)["you"] is None
