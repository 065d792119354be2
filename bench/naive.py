"""The baseline to beat: a naive click path, as a first version would write it.

It reads the code, stores one event item per click, then updates a counter: three requests
per click (referbee's path makes two, and only one of them when the unique-visitor check is
left aside). Same bot check, same visitor hashing, same redirect: only the data access
differs, so the comparison measures the design, not the boilerplate.
"""

from __future__ import annotations

import secrets
import threading
import time
import urllib.parse
from typing import Any

from chalice.app import Chalice, Response

from chalicelib.domain.trust.bots import is_bot
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.codes import normalize_code


class NaiveDynamoClicks:
    def __init__(self, client: Any, table: str) -> None:
        self.client, self.table = client, table

    def click(self, code: str, visitor: str, at: float) -> str | None:
        item = self.client.get_item(
            TableName=self.table, Key={"PK": {"S": f"CODE#{code}"}, "SK": {"S": "META"}}
        ).get("Item")
        if item is None:
            return None
        self.client.put_item(
            TableName=self.table,
            Item={
                "PK": {"S": f"CLICK#{code}"},
                "SK": {"S": f"{at:.6f}#{secrets.token_hex(4)}"},
                "visitor": {"S": visitor},
            },
        )
        day = time.strftime("%Y-%m-%d", time.gmtime(at))
        self.client.update_item(
            TableName=self.table,
            Key={"PK": {"S": f"CODE#{code}"}, "SK": {"S": f"DAY#{day}"}},
            UpdateExpression="ADD clicks :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
        return str(item["program"]["S"])


class NaiveMemoryClicks:
    """The same three operations on dicts (for handler cost without a network). Writes take
    a lock, as referbee's in-memory twin does, since both stand in for atomic DynamoDB writes."""

    def __init__(self, programs: dict[str, str]) -> None:
        self.programs = programs
        self.events: list[tuple[str, str, float]] = []
        self.counters: dict[tuple[str, str], int] = {}
        self.requests = 0
        self._lock = threading.Lock()

    def click(self, code: str, visitor: str, at: float) -> str | None:
        self.requests += 1
        program = self.programs.get(code)
        if program is None:
            return None
        self.requests += 1
        with self._lock:
            self.events.append((code, visitor, at))
        self.requests += 1
        day = time.strftime("%Y-%m-%d", time.gmtime(at))
        with self._lock:
            self.counters[(code, day)] = self.counters.get((code, day), 0) + 1
        return program


def naive_app(clicks: Any, landing: str, signer: Signer) -> Chalice:
    app = Chalice(app_name="naive")

    @app.route("/r/{code}", methods=["GET"])
    def follow(code: str) -> Response:
        request = app.current_request
        clean = normalize_code(code)
        if clean is None:
            return Response(body="", status_code=404)
        agent = request.headers.get("user-agent", "")
        ip = request.context["identity"]["sourceIp"]
        now = time.time()
        program = (
            clicks.click(clean, signer.visitor_hash(ip, agent), now) if not is_bot(agent) else ""
        )
        if program is None:
            return Response(body="", status_code=404)
        query = urllib.parse.urlencode({"ref": clean, "click": signer.click_id(clean, now)})
        return Response(body="", status_code=302, headers={"Location": f"{landing}?{query}"})

    return app
