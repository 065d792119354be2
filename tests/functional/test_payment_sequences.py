"""The event sequences of tests/payments/sequences/, delivered in their recorded order
(duplicates and out-of-order arrivals included) through the webhook routes on DynamoDB
(moto), end in the rewards and stats each one says. `referbee hooks replay` sends the same
files over HTTP to `referbee dev` (tests/e2e/test_payments_stack.py) or any deployment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.referrals.references import reference_for
from chalicelib.store.dynamo import DynamoStore
from referbee.hooks.replay import filled, load_sequence, mismatches, run_number
from tests.helpers import body_of
from tests.hooks import paid_program, send_shopify, send_stripe, widget_reference
from tests.trust import AUTH, issue, stats_of, trust_api

SEQUENCES = Path(__file__).parents[1] / "payments" / "sequences"


def rewards_of(api: Any, code: str) -> list[dict[str, Any]]:
    found = []
    for status in ("pending", "approved", "paid", "void", "clawback"):
        listed = api.http.get(f"/v1/programs/shop/rewards?status={status}", headers=AUTH)
        found += [r for r in body_of(listed)["rewards"] if r["ref"] == code]
    return found


@pytest.mark.parametrize("name", sorted(path.name for path in SEQUENCES.iterdir()))
def test_each_sequence_ends_as_it_says(dynamo_store: DynamoStore, name: str) -> None:
    directory = SEQUENCES / name
    sequence = load_sequence(directory)
    with trust_api(dynamo_store, paid_program()) as (api, _):
        jane = issue(api)
        reference = widget_reference(api, jane["code"])
        assert reference_for(reference.replace("X", ".")) == reference
        values = {
            "run": "t1",
            "run_number": run_number("t1"),
            "ref": jane["code"],
            "discount_code": jane["discount_code"],
            "reference": reference,
        }
        outcomes = []
        for step in sequence["deliver"]:
            entry = step if isinstance(step, dict) else {"file": step}
            body = json.loads(filled((directory / entry["file"]).read_text(), values))
            if sequence["provider"] == "shopify":
                event_id = filled(entry["webhook_id"], values)
                answer = send_shopify(api, entry["topic"], body, event_id=event_id)
            else:
                answer = send_stripe(api, body)
            assert answer.status_code == 200, (entry["file"], answer.body)
            outcomes.append(body_of(answer)["outcome"])
        assert "duplicate" in outcomes or name == "async-payment-fails"
        found = mismatches(rewards_of(api, jane["code"]), stats_of(api, jane), sequence["expect"])
        assert found == []
