"""`referbee coupons add`: codes read from a file and sent to the API in batches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from chalicelib.model.errors import ReferbeeError

from .client import AdminClient, quoted

_BATCH_BYTES = 12_000  # the API takes 16 KiB bodies


def read_coupon_file(path: Path) -> list[str]:
    """One code per line (or the first column of a CSV); blank lines, `#` comments and a
    `code` header line are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReferbeeError(f"{path}: cannot be read ({exc.strerror})") from exc
    codes = []
    for number, line in enumerate(lines, 1):
        code = line.split(",")[0].strip().strip('"')
        if not code or code.startswith("#") or (number == 1 and code.lower() == "code"):
            continue
        codes.append(code)
    if not codes:
        raise ReferbeeError(f"{path}: no coupon codes in it (one per line)")
    return codes


def upload_coupons(
    client: AdminClient, program: str, pool: str, codes: list[str]
) -> dict[str, int]:
    totals = {"added": 0, "skipped": 0, "available": 0}
    for batch in _batches(codes):
        answer = client.call(
            "POST", f"/v1/programs/{quoted(program)}/coupons", {"pool": pool, "codes": batch}
        )
        totals["added"] += answer["added"]
        totals["skipped"] += answer["skipped"]
        totals["available"] = answer["available"]
    return totals


def _batches(codes: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for code in codes:
        if batch and (size + len(code) + 4 > _BATCH_BYTES or len(batch) == 500):
            yield batch
            batch, size = [], 0
        batch.append(code)
        size += len(code) + 4
    if batch:
        yield batch
