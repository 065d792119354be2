"""The embedded database parses an update expression once and, when an update creates its item,
validates it once (devstack/expressions.py): the answers must stay moto's own, errors
included, and nothing may be created by an update that fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from referbee.devstack.db import EmbeddedDynamo

from .expression_cases import outcomes

TABLE = "referbee-expressions"  # moto's tables outlive a test: one of its own

_REFERENCE = """
import json, sys, boto3
from moto import mock_aws
sys.path.insert(0, sys.argv[1])
from expression_cases import outcomes
with mock_aws():
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(
        TableName="reference",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                   {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                              {"AttributeName": "SK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    print(json.dumps(outcomes(client, "reference")))
"""


@pytest.fixture
def db(tmp_path: Path) -> Any:
    embedded = EmbeddedDynamo(tmp_path / "data", TABLE)
    embedded.start()
    yield embedded
    embedded.stop()


def test_updates_answer_as_moto_itself_does(db: EmbeddedDynamo) -> None:
    """Every case, valid or not, gets the answer unpatched moto (a fresh process) gives."""
    reference = subprocess.run(
        [sys.executable, "-c", _REFERENCE, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"},
    )
    expected = json.loads(reference.stdout)
    got = json.loads(json.dumps(outcomes(db.client(), TABLE)))
    assert got == expected
    codes = [answer[0] for answer in got[0] if isinstance(answer, list)]
    assert codes.count("ConditionalCheckFailedException") >= 2
    assert codes.count("ValidationException") >= 6


def test_an_update_that_creates_its_item_is_validated_once(
    db: EmbeddedDynamo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.dynamodb.parsing import tokens, validators

    validated: list[Any] = []
    tokenized: list[str] = []
    validate, tokenize = validators.Validator.validate, tokens.ExpressionTokenizer.make_list

    def counted_validate(self: Any) -> Any:
        validated.append(self)
        return validate(self)

    def counted_tokenize(cls: Any, text: str) -> Any:
        tokenized.append(text)
        return tokenize(text)

    monkeypatch.setattr(validators.Validator, "validate", counted_validate)
    monkeypatch.setattr(tokens.ExpressionTokenizer, "make_list", classmethod(counted_tokenize))
    client = db.client()
    expression = "SET created = :v, other_value = :v"
    for n in range(5):
        client.update_item(
            TableName=TABLE,
            Key={"PK": {"S": f"once-{n}"}, "SK": {"S": "M"}},
            UpdateExpression=expression,
            ExpressionAttributeValues={":v": {"N": str(n)}},
        )
    assert len(validated) == 5  # moto validates an update that creates its item twice
    assert tokenized.count(expression) <= 1  # moto parses every update twice
    items = client.scan(TableName=TABLE)["Items"]
    assert sorted(int(i["created"]["N"]) for i in items if i["PK"]["S"].startswith("once-")) == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_concurrent_creating_and_counting_updates_are_exact(db: EmbeddedDynamo) -> None:
    client = db.client()
    threads, per_thread = 6, 40

    def work(t: int) -> None:
        for n in range(per_thread):
            client.update_item(
                TableName=TABLE,
                Key={"PK": {"S": f"each-{t}-{n}"}, "SK": {"S": "M"}},
                UpdateExpression="SET touches = list_append(if_not_exists(touches, :none), :now)",
                ExpressionAttributeValues={":none": {"L": []}, ":now": {"L": [{"N": str(n)}]}},
            )
            client.update_item(
                TableName=TABLE,
                Key={"PK": {"S": "total"}, "SK": {"S": "M"}},
                UpdateExpression="ADD n :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )

    running = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    total = client.get_item(TableName=TABLE, Key={"PK": {"S": "total"}, "SK": {"S": "M"}})
    assert total["Item"]["n"] == {"N": str(threads * per_thread)}
    items = [i for i in client.scan(TableName=TABLE)["Items"] if i["PK"]["S"].startswith("each-")]
    assert len(items) == threads * per_thread
    assert all(
        item["touches"] == {"L": [{"N": item["PK"]["S"].rsplit("-", 1)[1]}]} for item in items
    )


def test_a_first_validation_serves_only_its_own_request_on_an_item_it_read_nothing_of() -> None:
    """moto refuses, on the empty item, every update that reads a key attribute; were one
    accepted, its second validation would read the key and must run."""
    from dataclasses import replace

    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    from referbee.devstack.expressions import _Validated

    key = {"PK": {"S": "k"}, "SK": {"S": "M"}}
    item = Item(DynamoType(key["PK"]), DynamoType(key["SK"]), key)
    names: dict[str, str] = {}
    expression, values, table = object(), {":v": {"N": "1"}}, object()
    first = _Validated(
        expression, names, values, table, item.hash_key, item.range_key, frozenset({"a"}), "ok"
    )
    assert first.serves(expression, names, values, item, table)
    assert not replace(first, read=frozenset({"a", "PK"})).serves(
        expression, names, values, item, table
    )
    assert not replace(first, read=None).serves(expression, names, values, item, table)
    assert not first.serves(expression, names, dict(values), item, table)
    assert not first.serves(object(), names, values, item, table)
    other = Item(DynamoType({"S": "other"}), DynamoType(key["SK"]), key)
    assert not first.serves(expression, names, values, other, table)
