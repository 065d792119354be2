"""The leaderboard's request budget (see bench/RESULTS.md): a regression fails here."""

from __future__ import annotations

from collections import Counter

from bench.leaderboard_requests import run


def test_leaderboard_stays_within_its_dynamodb_request_budget() -> None:
    measured = {name: calls for name, calls, _ in run()}
    assert measured["leaderboard"] == Counter(Query=1)
    assert measured["leaderboard, viewer in the top"] == Counter(Query=1, GetItem=1)
    assert measured["leaderboard, viewer below the top"] == Counter(Query=2, GetItem=1)
