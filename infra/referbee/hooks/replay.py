"""`referbee hooks replay DIR`: a recorded sequence of webhook events (tests/payments/sequences/
holds some), sent in its delivery order (duplicates and out-of-order arrivals included) to any
deployment, then checked against the rewards and stats it must end in.

A sequence is a folder: `sequence.json` says what it is, whom it refers (a referrer the replay
creates with the admin key), the order to deliver its event files in, and what to expect; the
event files are the provider's bodies, with placeholders the replay fills in:

- `{{run}}`: new for each replay, so provider ids are new and the replay counts (pass --run
  to repeat one, which then changes nothing); `{{run_number}}`: six digits of it, for ids
  that are numbers (Shopify's);
- `{{ref}}` and `{{discount_code}}`: the referrer's code and personal discount code;
- `{{reference}}`: what the widget puts in `client_reference_id` after a real click on the
  referrer's link."""

from __future__ import annotations

import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib.domain.referrals.references import reference_for
from chalicelib.model.errors import ReferbeeError

from ..admin.client import AdminClient
from .delivery import Delivery, deliver

SEQUENCE_FILE = "sequence.json"
REWARD_FIELDS = ("side", "status", "amount", "reason")
# The friend's browser that follows the link (a bot's click would not be counted).
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


@dataclass
class Replay:
    api: str
    program: str
    admin_key: str
    secret: str
    run: str = field(default_factory=lambda: secrets.token_hex(4))


@dataclass
class Replayed:
    lines: list[str] = field(default_factory=list)  # one per delivery: file and answer
    mismatches: list[str] = field(default_factory=list)  # what did not end as expected
    code: str = ""


def load_sequence(directory: Path) -> dict[str, Any]:
    try:
        sequence = json.loads((directory / SEQUENCE_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise ReferbeeError(f"{directory / SEQUENCE_FILE}: cannot be read ({exc})") from exc
    if not isinstance(sequence, dict) or not isinstance(sequence.get("deliver"), list):
        raise ReferbeeError(f"{directory / SEQUENCE_FILE}: needs a 'deliver' list of files")
    return sequence


def replay(directory: Path, how: Replay) -> Replayed:
    sequence = load_sequence(directory)
    admin = AdminClient(how.api, how.admin_key)
    values = {"run": how.run, "run_number": run_number(how.run)}
    referrer: dict[str, Any] = {}
    if isinstance(sequence.get("referrer"), dict):
        wanted = {k: filled(str(v), values) for k, v in sequence["referrer"].items()}
        referrer = admin.call("POST", f"/v1/programs/{how.program}/referrers", wanted)
        values.update(ref=referrer["code"], discount_code=referrer.get("discount_code", ""))
        values["reference"] = reference_for(_click_id(how.api, referrer["code"]))
    done = Replayed(code=referrer.get("code", ""))
    for step in sequence["deliver"]:
        entry = step if isinstance(step, dict) else {"file": step}
        raw = filled((directory / entry["file"]).read_text(), values)
        delivery = Delivery(
            str(sequence.get("provider", "stripe")),
            json.loads(raw),
            topic=str(entry.get("topic", "")),
            event_id=filled(str(entry.get("webhook_id", "")), values),
        )
        answer = deliver(how.api, how.program, delivery, how.secret)
        done.lines.append(f"{entry['file']}: {answer.line()}")
        if answer.status != 200:
            done.mismatches.append(f"{entry['file']} was answered {answer.status}")
    expected = sequence.get("expect") or {}
    if referrer and expected:
        done.mismatches += _check(admin, how, referrer, expected)
    return done


def _check(
    admin: AdminClient, how: Replay, referrer: dict[str, Any], expected: dict[str, Any]
) -> list[str]:
    rewards: list[dict[str, Any]] = []
    for status in ("pending", "approved", "paid", "void", "clawback"):
        listed = admin.call("GET", f"/v1/programs/{how.program}/rewards?status={status}&limit=1000")
        rewards += [r for r in listed["rewards"] if r.get("ref") == referrer["code"]]
    stats = _get_json(f"{how.api}/v1/stats/{referrer['stats_token']}")
    return mismatches(rewards, stats, expected)


def mismatches(
    rewards: list[dict[str, Any]], stats: dict[str, Any], expected: dict[str, Any]
) -> list[str]:
    """What differs between a referrer's rewards and stats and what a sequence expects."""
    found: list[str] = []
    got = sorted(_reward_row(r) for r in rewards)
    want = sorted(_reward_row(r) for r in expected.get("rewards", []))
    if got != want:
        found.append(f"rewards: expected {want}, found {got}")
    for name, value in (expected.get("stats") or {}).items():
        if stats.get(name) != value:
            found.append(f"stats.{name}: expected {value}, found {stats.get(name)}")
    return found


def run_number(run: str) -> str:
    """Six digits of a run's name, for ids that are numbers (Shopify's)."""
    digest = hashlib.sha256(run.encode()).hexdigest()
    return str(int(digest, 16) % 1_000_000).zfill(6)


def _reward_row(reward: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(reward.get(name, "")) for name in REWARD_FIELDS)


def filled(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _click_id(api: str, code: str) -> str:
    """A real click on the referrer's link: the click id its redirect carries."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(  # noqa: S310 - the API given
        f"{api}/r/{code}", headers={"User-Agent": BROWSER}
    )
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as exc:
        location = exc.headers.get("Location", "")
        clicks = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("click")
        if clicks:
            return clicks[0]
    raise ReferbeeError(f"the referral link {api}/r/{code} did not redirect with a click id")


def _get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the API given
        found = json.loads(response.read())
    return found if isinstance(found, dict) else {}
