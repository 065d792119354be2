"""Update cases for tests/functional/test_embedded_db_expressions.py, and how to run them: stdlib
only, so that a fresh process with plain moto can run them too."""

from __future__ import annotations

from typing import Any

# (key, update expression, values, names, condition): run in order on one table
CASES: list[tuple[str, str, dict[str, Any], dict[str, str] | None, str | None]] = [
    ("new-set", "SET a = :v, b = :w", {":v": {"N": "1"}, ":w": {"S": "x"}}, None, None),
    ("new-set-2", "SET a = :v, b = :w", {":v": {"N": "2"}, ":w": {"S": "y"}}, None, None),
    (
        "visit",
        "SET touches = list_append(if_not_exists(touches, :none), :now), #p = :p REMOVE #q",
        {":none": {"L": []}, ":now": {"L": [{"N": "7"}]}, ":p": {"S": "demo"}, ":cap": {"N": "2"}},
        {"#p": "program", "#q": "page"},
        "attribute_not_exists(touches) OR size(touches) < :cap",
    ),
    (
        "visit",
        "SET touches = list_append(if_not_exists(touches, :none), :now), #p = :p REMOVE #q",
        {":none": {"L": []}, ":now": {"L": [{"N": "8"}]}, ":p": {"S": "demo"}, ":cap": {"N": "2"}},
        {"#p": "program", "#q": "page"},
        "attribute_not_exists(touches) OR size(touches) < :cap",
    ),
    (  # the list is full: the condition fails, the item is returned and left as it was
        "visit",
        "SET touches = list_append(if_not_exists(touches, :none), :now), #p = :p REMOVE #q",
        {":none": {"L": []}, ":now": {"L": [{"N": "9"}]}, ":p": {"S": "demo"}, ":cap": {"N": "2"}},
        {"#p": "program", "#q": "page"},
        "attribute_not_exists(touches) OR size(touches) < :cap",
    ),
    ("counter", "ADD n :one", {":one": {"N": "1"}}, None, None),
    ("counter", "ADD n :one", {":one": {"N": "1"}}, None, None),
    ("bad-syntax", "SET a = = :v", {":v": {"N": "1"}}, None, None),
    ("bad-syntax", "SET a = = :v", {":v": {"N": "1"}}, None, None),  # not remembered
    ("missing-path", "SET a = b", {}, None, None),  # b does not exist: nothing created
    ("key-read", "SET copy = PK", {}, None, None),  # read from a key: as moto answers
    ("key-if", "SET copy = if_not_exists(PK, :v)", {":v": {"S": "none"}}, None, None),
    ("key-if-2", "SET copy = if_not_exists(#k, :v)", {":v": {"S": "none"}}, {"#k": "PK"}, None),
    ("counter", "SET copy = PK", {}, None, None),  # ... and on an existing item
    ("key-write", "SET PK = :v", {":v": {"S": "x"}}, None, None),
    ("wrong-type", "ADD n :v", {":v": {"S": "x"}}, None, None),
    ("new-cond", "SET a = :v", {":v": {"N": "1"}}, None, "attribute_exists(a)"),
    ("two-sets", "SET a = :v SET b = :v", {":v": {"N": "1"}}, None, None),
    ("two-sets", "SET a = :v SET b = :v", {":v": {"N": "1"}}, None, None),  # not remembered
    ("two-removes", "REMOVE a REMOVE b", {}, None, None),
    ("two-adds", "ADD n :v ADD m :v", {":v": {"N": "1"}}, None, None),
    ("three-clauses", "SET a = :v REMOVE b ADD n :v", {":v": {"N": "1"}}, None, None),
    ("three-clauses", "SET a = :v REMOVE b ADD n :v", {":v": {"N": "2"}}, None, None),
    ("new-set", "SET a = a + :v", {":v": {"N": "5"}}, None, None),
    ("new-set", "SET a = :v", {":v": {"N": "1"}}, None, "a > :v AND attribute_exists(b)"),
    ("new-set", "SET a = :v", {":v": {"N": "9"}}, {"#b": "b"}, "a > :v OR #b = :v"),
]


def outcomes(client: Any, table: str) -> list[Any]:
    """What each case answered (the error's code and message, or the old attributes), then
    the items in the table."""
    answers: list[Any] = []
    for pk, expression, values, names, condition in CASES:
        request: dict[str, Any] = {
            "TableName": table,
            "Key": {"PK": {"S": pk}, "SK": {"S": "M"}},
            "UpdateExpression": expression,
            "ReturnValues": "ALL_OLD",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            request["ExpressionAttributeValues"] = values
        if names:
            request["ExpressionAttributeNames"] = names
        if condition:
            request["ConditionExpression"] = condition
        try:
            answers.append(client.update_item(**request).get("Attributes", {}))
        except client.exceptions.ClientError as error:
            err = error.response["Error"]
            answers.append([err["Code"], err["Message"], error.response.get("Item")])
    items = client.scan(TableName=table)["Items"]
    return [answers, sorted(items, key=lambda item: item["PK"]["S"])]
