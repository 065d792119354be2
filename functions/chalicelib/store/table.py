"""The table's definition, shared by `refkit dev`, `refkit deploy` and the tests."""

from __future__ import annotations

from typing import Any

TTL_ATTRIBUTE = "expires_at"
GSI1 = "GSI1"


def table_definition(name: str) -> dict[str, Any]:
    """CreateTable arguments: on-demand, PK/SK plus one overloaded GSI."""
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": attr, "AttributeType": "S"}
            for attr in ("PK", "SK", "GSI1PK", "GSI1SK")
        ],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": GSI1,
                "KeySchema": [
                    {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                    {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    }


def create_table(client: Any, name: str) -> bool:
    """Create the table and turn on TTL. Returns False when it already existed."""
    try:
        client.create_table(**table_definition(name))
    except client.exceptions.ResourceInUseException:
        return False
    client.get_waiter("table_exists").wait(TableName=name)
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return True
