"""`referbee dev`'s embedded DynamoDB keeps what the table holds, and no more: moto's own list
of every object it ever made (a copy of the whole table per transaction among them) would
otherwise grow without end, slowing every garbage collection and the process's exit."""

from __future__ import annotations

from pathlib import Path

from moto.dynamodb.models.dynamo_type import Item

from referbee.devstack.db import EmbeddedDynamo


def test_writes_and_transactions_leave_no_tracked_copies(tmp_path: Path) -> None:
    db = EmbeddedDynamo(tmp_path / "data", "referbee-dev")
    db.start()
    try:
        client = db.client()
        for n in range(60):
            client.put_item(
                TableName="referbee-dev", Item={"PK": {"S": f"A#{n}"}, "SK": {"S": "M"}}
            )
        for _ in range(30):  # each transaction copies the whole table to roll back with
            client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": "referbee-dev",
                            "Key": {"PK": {"S": "COUNT"}, "SK": {"S": "M"}},
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    }
                ]
            )
        item = client.get_item(
            TableName="referbee-dev", Key={"PK": {"S": "COUNT"}, "SK": {"S": "M"}}
        )
        assert item["Item"]["n"] == {"N": "30"}
        # Without the cleanup: 61 items copied 30 times, about 1,900 tracked items.
        assert len(Item.instances_tracked) < 10  # type: ignore[attr-defined]
    finally:
        db.stop()
