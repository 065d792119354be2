"""The admin API from the command line: a small HTTP client (standard library only), and the
logic of `referbee coupons`, `referbee rewards`, `referbee conversions` and `referbee webhooks`.

Commands talk to the API, not to the database, so the same command works against
`referbee dev` and a deployed stack; the API address defaults to the running `referbee dev`."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chalicelib.model.errors import ReferbeeError

from . import legacy

_BATCH_BYTES = 12_000  # the API takes 16 KiB bodies


class AdminClient:
    def __init__(self, api: str | None, key: str) -> None:
        self.api = (api or _dev_api()).rstrip("/")
        self.key = key

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the marketer's own API
            self.api + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise ReferbeeError(f"{exc.code}: {_error_of(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ReferbeeError(f"cannot reach the API at {self.api} ({exc})") from exc


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


def reward_lines(rewards: list[dict[str, Any]]) -> list[str]:
    lines = []
    for reward in rewards:
        value = reward.get("coupon") or _value(reward)
        why = f"  ({reward['reason']})" if reward.get("reason") else ""
        when = f"  until {reward['approve_at']}" if reward.get("approve_at") else ""
        ref = reward.get("ref", "")
        lines.append(
            f"{reward['id']}  {reward['status']:<8}  {reward['side']:<8}  {ref:<10}"
            f"  {reward['text']}  {value}{when}{why}".rstrip()
        )
    return lines


def log_lines(deliveries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for line in deliveries:
        status = f"HTTP {line['http_status']}" if line.get("http_status") else ""
        detail = status or (line.get("error") or "")
        later = f"  next {line['next_attempt_at']}" if line.get("next_attempt_at") else ""
        lines.append(
            f"{line['at']}  {line['event']:<21}  {line['target']:<21}  #{line['attempt']:<2}  "
            f"{line['outcome']:<9}  {detail}{later}".rstrip()
        )
    return lines


def review_lines(reviews: list[dict[str, Any]]) -> list[str]:
    lines = []
    for item in reviews:
        amount = f"{item['amount']} {item['currency']}" if item.get("currency") else ""
        decided = ""
        if item.get("decided_by"):
            decided = f"  {item['decided_by']}: {item.get('decision_note', '')}".rstrip()
        lines.append(
            f"{item['id']}  {item['status']:<8}  {item['ref']:<10}  {item['created_at']}  "
            f"{amount:<12}  {', '.join(item.get('flags', []))}{decided}"
        )
    return lines


def quoted(part: str) -> str:
    """One part of an API path, with every reserved character escaped."""
    return urllib.parse.quote(part, safe="")


def _value(reward: dict[str, Any]) -> str:
    if "amount" in reward:
        return f"{reward['amount']} {reward['currency']}"
    if "points" in reward:
        return f"{reward['points']} points"
    if "percent" in reward:
        return f"{reward['percent']}%"
    return ""


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


def _dev_api() -> str:
    connection = legacy.state_dir() / "dev" / "api.json"
    if connection.exists():
        return str(json.loads(connection.read_text())["api"])
    raise ReferbeeError(
        "no API address: pass --api (or set REFERBEE_API_URL), or run this next to a "
        "running `referbee dev`"
    )


def _error_of(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read())["error"])
    except (ValueError, KeyError, TypeError):
        return exc.reason if isinstance(exc.reason, str) else "the API refused the call"
