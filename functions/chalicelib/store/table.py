"""The table's definition, shared by `referbee dev`, `referbee deploy` and the tests."""

from __future__ import annotations

from .attrs import Client, TableDefinition
from .keys import GSI1, GSI2, SUCCESS_COUNT, TTL_ATTRIBUTE

__all__ = ["TTL_ATTRIBUTE", "TableDefinition", "create_table", "table_definition"]


def table_definition(name: str) -> TableDefinition:
    """CreateTable arguments: on-demand, PK/SK, an overloaded GSI1 for listings, GSI2
    ranking referrers by their number of successful referrals, and a stream of every write's
    old and new item for the program rollups (api/rollups.py)."""
    return {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "N" if name == SUCCESS_COUNT else "S"}
            for name in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", SUCCESS_COUNT)
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
            },
            {
                "IndexName": GSI2,
                "KeySchema": [
                    {"AttributeName": "GSI2PK", "KeyType": "HASH"},
                    {"AttributeName": SUCCESS_COUNT, "KeyType": "RANGE"},
                ],
                "Projection": {
                    "ProjectionType": "INCLUDE",
                    "NonKeyAttributes": ["code", "name", "program"],
                },
            },
        ],
    }


def create_table(client: Client, name: str) -> bool:
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
