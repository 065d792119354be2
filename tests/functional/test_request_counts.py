"""The request budget of each operation (see bench/RESULTS.md): a regression fails here."""

from __future__ import annotations

from collections import Counter

from bench.requests_per_operation import run


def test_each_operation_stays_within_its_dynamodb_request_budget() -> None:
    measured = {name: calls for name, calls, _ in run()}

    def total(name: str) -> int:
        return sum(measured[name].values())

    assert measured["click, new visitor (common path)"] == Counter(UpdateItem=2)
    assert measured["click, returning visitor"] == Counter(UpdateItem=2)
    assert total("click, first of the month for the code") == 4
    assert measured["click, bot or HEAD (not counted)"] == Counter(GetItem=1)
    assert measured["stats view"] == Counter(Query=1)
    assert measured["code issuance, returning referrer"] == Counter(GetItem=1)
    assert measured["code issuance, new referrer"] == Counter(GetItem=1, TransactWriteItems=1)
    assert measured["conversion, pixel signup"] == Counter(TransactWriteItems=1)
    assert measured["conversion, API purchase (admin key)"] == Counter(
        GetItem=1, TransactWriteItems=1
    )
