"""The stage's DynamoDB table: created, or brought up to date without touching its data."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.store.table import TTL_ATTRIBUTE, TableDefinition, table_definition

from .errors import DeployError
from .state import Outcome


def ensure_table(client: Any, name: str) -> Outcome:
    """On-demand billing, point-in-time recovery, TTL on `expires_at`, deletion protection,
    and every index of `table_definition`. Existing data is never touched: a missing index is
    added (DynamoDB backfills it), nothing is ever removed."""
    definition = table_definition(name)
    described = describe_table(client, name)
    changes: list[str] = []
    if described is None:
        client.create_table(**definition, DeletionProtectionEnabled=True)
        _wait_active(client, name)
        changes.append("created")
    else:
        changes += _update_table(client, definition, described)
    changes += _ensure_ttl(client, name)
    changes += _ensure_pitr(client, name)
    if not changes:
        return Outcome(False, f"{name}: up to date")
    return Outcome(True, f"{name}: " + ", ".join(changes))


def describe_table(client: Any, name: str) -> dict[str, Any] | None:
    try:
        table: dict[str, Any] = client.describe_table(TableName=name)["Table"]
    except client.exceptions.ResourceNotFoundException:
        return None
    return table


def delete_table(client: Any, name: str) -> bool:
    """Turn deletion protection off and delete the table (and its data). False if absent."""
    if describe_table(client, name) is None:
        return False
    client.update_table(TableName=name, DeletionProtectionEnabled=False)
    _wait_active(client, name)
    client.delete_table(TableName=name)
    return True


def _update_table(client: Any, definition: TableDefinition, described: dict[str, Any]) -> list[str]:
    name = definition["TableName"]
    changes: list[str] = []
    existing = {index["IndexName"] for index in described.get("GlobalSecondaryIndexes", [])}
    for index in definition["GlobalSecondaryIndexes"]:
        if index["IndexName"] in existing:
            continue
        # DynamoDB accepts one new index per UpdateTable call.
        client.update_table(
            TableName=name,
            AttributeDefinitions=definition["AttributeDefinitions"],
            GlobalSecondaryIndexUpdates=[{"Create": index}],
        )
        _wait_active(client, name, index=index["IndexName"])
        changes.append(f"index {index['IndexName']} added")
    billing = described.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    if billing != "PAY_PER_REQUEST":
        client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
        _wait_active(client, name)
        changes.append("billing set to on-demand")
    if not described.get("DeletionProtectionEnabled"):
        client.update_table(TableName=name, DeletionProtectionEnabled=True)
        _wait_active(client, name)
        changes.append("deletion protection on")
    changes += _ensure_stream(client, definition, described)
    return changes


def stream_arn(client: Any, name: str) -> str:
    """The ARN of the table's stream, which feeds the rollup function."""
    described = describe_table(client, name) or {}
    return str(described.get("LatestStreamArn", ""))


def _ensure_stream(
    client: Any, definition: TableDefinition, described: dict[str, Any]
) -> list[str]:
    """Turn on the stream of old and new images (a table from before program analytics)."""
    wanted = definition["StreamSpecification"]
    current = described.get("StreamSpecification") or {}
    if current.get("StreamEnabled") and current.get("StreamViewType") == wanted["StreamViewType"]:
        return []
    name = definition["TableName"]
    if current.get("StreamEnabled"):  # another view type: a stream is replaced, not changed
        client.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
        _wait_active(client, name)
    client.update_table(TableName=name, StreamSpecification=wanted)
    _wait_active(client, name)
    return ["stream of old and new images on"]


def _ensure_ttl(client: Any, name: str) -> list[str]:
    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return []
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return [f"TTL on {TTL_ATTRIBUTE}"]


def _ensure_pitr(client: Any, name: str) -> list[str]:
    backups = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {})
    if pitr.get("PointInTimeRecoveryStatus") == "ENABLED":
        return []
    client.update_continuous_backups(
        TableName=name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    return ["point-in-time recovery on"]


def _wait_active(client: Any, name: str, index: str | None = None, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.2
    while time.monotonic() < deadline:
        table = client.describe_table(TableName=name)["Table"]
        indexes = {i["IndexName"]: i for i in table.get("GlobalSecondaryIndexes", [])}
        index_ready = index is None or indexes.get(index, {}).get("IndexStatus") == "ACTIVE"
        if table["TableStatus"] == "ACTIVE" and index_ready:
            return
        time.sleep(delay)
        delay = min(delay * 2, 10)
    raise DeployError(f"the table {name} did not become active within {timeout:.0f} s")
