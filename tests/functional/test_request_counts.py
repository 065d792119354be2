"""The request budget of each operation (see bench/RESULTS.md): a regression fails here."""

from __future__ import annotations

from collections import Counter

import boto3
import pytest

from bench import client_cost, reward_requests, trust_requests
from bench.requests_per_operation import CLICK_NEW_CODE, WRITES, run


def test_each_operation_stays_within_its_dynamodb_request_budget() -> None:
    measured = {name: calls for name, calls, _ in run()}

    def total(name: str) -> int:
        return sum(measured[name].values())

    # A counted click is one write, the visitor's visit item, on every common path; the
    # stream counts it. A code a container has not met yet costs one read first.
    assert measured["click, new visitor (common path)"] == Counter(UpdateItem=1)
    assert measured["click, returning visitor"] == Counter(UpdateItem=1)
    assert measured["click, first of the month for the code"] == Counter(UpdateItem=1)
    assert measured[CLICK_NEW_CODE] == Counter(GetItem=1, UpdateItem=1)
    assert measured["click, bot or HEAD (not counted)"] == Counter()
    for path in ("new visitor (common path)", "returning visitor", "first of the month"):
        name = next(n for n in measured if n.startswith(f"click, {path}"))
        assert sum(n for op, n in measured[name].items() if op in WRITES) == 1, name
    # Issuance is rate-limited per visitor with one UpdateItem on a TTL'd counter; the stats
    # view in the process, without a request.
    assert measured["stats view"] == Counter(Query=1)
    # Anonymous issuance costs the same for a new and a known email: the stats-link email
    # (and its per-address limit) rides in the transaction that creates a new referrer.
    assert measured["code issuance, returning referrer"] == Counter(
        GetItem=1, TransactWriteItems=1, UpdateItem=1
    )
    assert measured["code issuance, new referrer"] == Counter(
        GetItem=1, TransactWriteItems=1, UpdateItem=1
    )
    assert measured["code issuance, returning referrer, admin key"] == Counter(GetItem=2)
    # Sign-in links: two rate limits (client, address) and the lookup; a known address adds
    # one transaction (the hashed token and its email); following it is one conditional
    # delete and the referrer's read.
    assert measured["sign-in link, known email"] == Counter(
        UpdateItem=2, GetItem=1, TransactWriteItems=1
    )
    assert measured["sign-in link, unknown email"] == Counter(UpdateItem=2, GetItem=1)
    assert measured["sign-in link followed (confirmed)"] == Counter(DeleteItem=1, GetItem=1)
    assert measured["stats token rotation (admin key)"] == Counter(GetItem=2, TransactWriteItems=1)
    assert measured["conversion, pixel signup"] == Counter(TransactWriteItems=1)
    # A bare ref must be backed by the visitor's click: their touchpoints are read.
    bare = "conversion, pixel signup with a bare ref (reads the visitor's touchpoints)"
    assert measured[bare] == Counter(Query=1, TransactWriteItems=1)
    assert measured["conversion, beacon purchase (a claim: rewards wait)"] == Counter(
        TransactWriteItems=1
    )
    # The key; the trusted report's own write, refused because the order exists; the claim
    # read back; the confirmation.
    assert measured["confirmation of the beacon's purchase, API (admin key)"] == Counter(
        GetItem=2, TransactWriteItems=2
    )
    assert measured["conversion, API purchase (admin key)"] == Counter(
        GetItem=1, TransactWriteItems=1
    )


def test_reward_operations_stay_within_their_budget() -> None:
    measured = {name: calls for name, calls, _ in reward_requests.run()}
    purchase = "purchase with rewards: credit + coupon, held, 1 webhook, email"
    # One transaction writes the conversion, both rewards, the coupon claim and the outbox;
    # the reads are the admin key and the coupon pool.
    assert measured[purchase] == Counter(GetItem=1, Query=1, TransactWriteItems=1)
    # Crossing a tier: the first transaction is refused by the count guard, which returns
    # the referrer's count; the second issues the bonus.
    assert measured["purchase that reaches a tier (bonus issued)"] == Counter(
        GetItem=1, Query=1, TransactWriteItems=2
    )
    assert measured["pixel purchase, time_decay model (reads the visitor's touchpoints)"] == (
        Counter(Query=1, TransactWriteItems=1)
    )
    assert measured["refund (2 rewards voided)"] == Counter(
        GetItem=2, BatchGetItem=1, TransactWriteItems=1
    )
    assert measured["scheduled approvals: 3 due rewards, 2 programs"] == Counter(
        Query=2, TransactWriteItems=3
    )
    delivery = "scheduled delivery: 3 webhooks and 1 email (the POSTs not counted)"
    assert measured[delivery] == Counter(Query=1, UpdateItem=4, TransactWriteItems=4, GetItem=1)
    assert measured["stats view with rewards and tier"] == Counter(Query=1)
    # Touchpoints ride on the click's own write; only the 17th click of one visitor on one
    # code (and every 8th after it) pays one more write to compact them.
    compacting = "click 17 of one visitor on one code (compacts the touchpoints)"
    assert measured[compacting] == Counter(UpdateItem=2)


def test_trust_operations_stay_within_their_budget() -> None:
    measured = {name: calls for name, calls, _ in trust_requests.run()}
    # Every fraud rule on, a clean conversion is still one transaction: the rules' counters,
    # the self-referral condition and the rate limit ride in it.
    assert measured["conversion, every fraud rule on, clean (beacon)"] == Counter(
        TransactWriteItems=1
    )
    assert measured["conversion flagged before the write (disposable email)"] == Counter(
        TransactWriteItems=1
    )
    # A self-referral is learnt from the first (cancelled) transaction; the second records
    # it for review.
    assert measured[
        "conversion flagged by the write (self-referral: a second transaction)"
    ] == Counter(GetItem=1, TransactWriteItems=2)
    assert measured[
        "pixel with ref only, require_click on (reads the visitor's touchpoints)"
    ] == Counter(Query=1, TransactWriteItems=1)
    assert measured["review: approve (issues 2 rewards)"] == Counter(
        GetItem=2, TransactWriteItems=1
    )
    assert measured["review: reject"] == Counter(GetItem=2, TransactWriteItems=1)
    assert measured["review queue: list flagged conversions"] == Counter(GetItem=1, Query=1)
    assert measured["stats view (rate-limited route)"] == Counter(Query=1)
    assert measured["issuance refused by the rate limit (429)"] == Counter(UpdateItem=1)
    assert sum(measured["beacon refused by the rate limit (429)"].values()) <= 2
    assert measured["admin key: create"] == Counter(GetItem=1, PutItem=1)
    assert measured["admin key: revoke"] == Counter(GetItem=1, Query=1, UpdateItem=1)


def test_the_client_bench_replays_each_paths_own_requests() -> None:
    # bench/client_cost.py answers the real client with what moto answered for one click of
    # each path; the handler it measures then makes exactly those requests.
    referbee, naive = client_cost.record()
    assert [operation for operation, _ in referbee] == ["UpdateItem"]
    assert [operation for operation, _ in naive] == ["GetItem", "PutItem", "UpdateItem"]
    results = {r.name: r for r in client_cost.measure(rounds=1, batch=20)}
    assert results["referbee click"].requests_per_click == 1
    assert results["naive click"].requests_per_click == 3


def test_the_client_bench_refuses_a_request_it_has_no_answer_for() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    client_cost.Replayer(client, [("GetItem", b'{"Item": {"PK": {"S": "x"}}}')])
    assert client.get_item(TableName="t", Key={"PK": {"S": "x"}})["Item"] == {"PK": {"S": "x"}}
    with pytest.raises(AssertionError, match="asked for PutItem"):
        client.put_item(TableName="t", Item={"PK": {"S": "x"}})
