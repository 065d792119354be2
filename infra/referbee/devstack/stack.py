"""`referbee dev`: the whole kit on one machine, no AWS account, no network.

- an embedded DynamoDB (moto's server, in this process), saved under .referbee/dev/data;
- the API: Chalice's local server in worker processes on --port;
- a static server on the next port: the built site, the widget and a demo shop.
Ctrl-C or SIGTERM stops every process this started and saves the data.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from chalicelib.domain.context import Links
from chalicelib.domain.trust.admin_keys import hash_key, new_key
from chalicelib.model.clock import OffsetClock
from chalicelib.model.records import AdminKey
from chalicelib.store.dynamo import DynamoStore

from .. import FUNCTIONS_DIR, KIT_ROOT, legacy
from ..site.widget import build_widget
from .db import EmbeddedDynamo
from .scheduler import DueWorkLoop
from .shop import write_shop
from .static import StaticServer
from .streams import StreamReader

TABLE = "referbee-dev"
KEY_FILE = "admin_key"  # the stack's admin key, in its state folder
HOST = "127.0.0.1"
CLOCK_OFFSET_FILE = "clock-offset"  # seconds to add to the stack's clock (tests move time)


@dataclass
class DevOptions:
    port: int = 8000
    admin_key: str | None = None
    workers: int = 2
    state_dir: Path = field(default_factory=lambda: legacy.state_dir() / "dev")
    config_document: dict[str, Any] = field(default_factory=dict)
    build_site: bool = True
    due_work_interval: float = 2.0  # seconds between runs of the scheduled function


@dataclass
class RunningStack:
    api_url: str
    site_url: str
    admin_key: str
    key_origin: str
    db: EmbeddedDynamo
    static: StaticServer
    workers: list[subprocess.Popen[bytes]]
    due_work: DueWorkLoop | None = None


def start(options: DevOptions) -> RunningStack:
    state = options.state_dir.resolve()
    state.mkdir(parents=True, exist_ok=True)
    api_url = f"http://{HOST}:{options.port}"
    static = StaticServer({}, HOST, options.port + 1)
    site_url = static.url

    db = EmbeddedDynamo(state / "data", TABLE)
    db.start()
    # Rollups of the restored data were saved with it: read only what is written from now.
    stream = StreamReader(TABLE, start="LATEST", lock=db.lock)
    admin_key, key_origin = _install_admin_key(db, state, options.admin_key)

    programs_file = state / "programs.json"
    from ..config import write_programs

    write_programs(options.config_document, programs_file)
    site_dir = state / "site"
    if options.build_site:
        from ..site.build import build_sites

        build_sites(options.config_document, api_url=api_url, site_url=site_url, out=site_dir)
    build_widget(site_dir / "widget")
    shop_dir = write_shop(
        state / "shop", options.config_document, api_url=api_url, site_url=site_url
    )
    static.mount({"/": site_dir, "/shop/": shop_dir})
    static.start()

    env = {
        **os.environ,
        "REFERBEE_TABLE": TABLE,
        "REFERBEE_DYNAMODB_ENDPOINT": db.endpoint,
        "REFERBEE_SECRET": _dev_secret(state),
        "REFERBEE_PROGRAMS_FILE": str(programs_file),
        "REFERBEE_API_URL": api_url,
        "REFERBEE_SITE_URL": site_url,
        "REFERBEE_OUTBOX": str(state / "outbox"),
        "REFERBEE_ADMIN_KEY_HINT": admin_key_hint(state),
        "REFERBEE_CLOCK_OFFSET_FILE": str(state / CLOCK_OFFSET_FILE),
        "AWS_ACCESS_KEY_ID": "referbee-dev",
        "AWS_SECRET_ACCESS_KEY": "referbee-dev",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        "PYTHONPATH": os.pathsep.join([str(FUNCTIONS_DIR), str(KIT_ROOT / "infra")]),
    }
    workers = [_spawn_worker(env, options.port) for _ in range(max(1, options.workers))]
    stack = RunningStack(api_url, site_url, admin_key, key_origin, db, static, workers)
    try:
        _wait_until_up(f"{api_url}/v1/programs/{next(iter(_program_ids(options)))}", workers)
    except Exception:
        stop(stack)
        raise
    stack.due_work = DueWorkLoop(
        db.client(),
        TABLE,
        options.config_document,
        env["REFERBEE_SECRET"],
        Links(api_base=api_url, site_base=site_url),
        state / "outbox",
        options.due_work_interval,
        stream,
        clock=OffsetClock(state / CLOCK_OFFSET_FILE),
    )
    stack.due_work.start()
    (state / "api.json").write_text(json.dumps({"api": api_url}))
    return stack


def run(options: DevOptions, say: Any = print) -> int:
    """Start the stack, print how to use it, and serve until Ctrl-C or SIGTERM."""
    stack = start(options)
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    _print_banner(stack, options, say)
    status = 0
    try:
        while not stopping:
            for worker in stack.workers:
                if worker.poll() is not None:
                    code = worker.returncode
                    say(f"referbee dev: an API worker stopped (exit code {code}); stopping.")
                    stopping, status = True, 1
            time.sleep(0.2)
    finally:
        stop(stack)
        say("referbee dev stopped; data saved in " + str(stack.db.snapshot))
    return status


def stop(stack: RunningStack) -> None:
    """The API first, so nothing is written after the last rollup round."""
    for worker in stack.workers:
        if worker.poll() is None:
            worker.terminate()
    deadline = time.monotonic() + 5
    for worker in stack.workers:
        try:
            worker.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()
    if stack.due_work is not None:
        stack.due_work.stop()
    stack.static.stop()
    stack.db.stop()


def _spawn_worker(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "referbee.devstack.api",
        "--project",
        str(FUNCTIONS_DIR),
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    return subprocess.Popen(command, env=env, preexec_fn=_die_with_parent)  # noqa: S603


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM if `referbee dev` itself is killed, so none is orphaned."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _wait_until_up(url: str, workers: list[subprocess.Popen[bytes]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(w.poll() is not None for w in workers):
            raise RuntimeError("an API worker failed to start; see the messages above")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the API did not answer on {url} within {timeout:.0f} s")


def _install_admin_key(db: EmbeddedDynamo, state: Path, given: str | None) -> tuple[str, str]:
    """The stack's admin key and how it came (for the banner). Without --admin-key it is the
    key kept in the state folder (generated on the first run), so yesterday's key still works;
    a key passed with --admin-key is accepted too, for this run."""
    store = DynamoStore(db.client(), TABLE)
    _forget_older_run_key(store, state)
    path = state / KEY_FILE
    origin = f"kept in {path}"
    if given:
        key, origin = given, "from --admin-key or REFERBEE_ADMIN_KEY"
    elif path.exists():
        key = path.read_text().strip()
    else:
        key = new_key()
        path.write_text(key + "\n")
        path.chmod(0o600)
        origin = f"generated for this run, kept in {path} for the next ones"
    store.admin_keys.put_admin_key(
        AdminKey(hash_key(key), "referbee dev", ("*",), "write", time.time())
    )
    return key, origin


def _forget_older_run_key(store: DynamoStore, state: Path) -> None:
    """Earlier versions made a new key at every start and kept only its hash: revoke it."""
    older = state / "admin_key.sha256"
    if older.exists():
        store.admin_keys.delete_admin_key(older.read_text().strip())
        older.unlink()


def admin_key_hint(state: Path) -> str:
    """What a 401 from the local API adds: where the stack's admin key is."""
    return (
        f"`referbee dev` prints its admin key when it starts and keeps it in "
        f"{state / KEY_FILE}; use it with --admin-key or REFERBEE_ADMIN_KEY."
    )


def _dev_secret(state: Path) -> str:
    path = state / "secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _program_ids(options: DevOptions) -> list[str]:
    return [p["id"] for p in options.config_document["programs"]]


def _print_banner(stack: RunningStack, options: DevOptions, say: Any) -> None:
    program = _program_ids(options)[0]
    say("")
    say("referbee dev is running")
    say(f"  API          {stack.api_url}")
    say(f"  Site         {stack.site_url}/")
    say(f"  Demo shop    {stack.site_url}/shop/")
    say(f"  Analytics    {stack.site_url}/admin/  (sign in with the admin key)")
    say(f"  Admin key    {stack.admin_key}  ({stack.key_origin})")
    say(f"  DynamoDB     {stack.db.endpoint}  (table {TABLE})")
    say(f"  Data         {stack.db.snapshot}")
    say(f"  Emails       {options.state_dir.resolve() / 'outbox'}  (.eml files)")
    say("")
    say("Embed the widget on your site:")
    say(
        f'  <script async src="{stack.site_url}/widget/referbee.js" data-api="{stack.api_url}" '
        f'data-program="{program}"></script>'
    )
    say("  <div data-referbee-panel></div>")
    say("")
    say("Purchases the widget reports wait for your server to confirm them (docs/security.md):")
    say(
        f"  curl -X POST {stack.api_url}/v1/programs/{program}/conversions "
        f'-H "Authorization: Bearer $REFERBEE_ADMIN_KEY" -H "Content-Type: application/json" '
        f"""-d '{{"event": "purchase", "order_id": "1001", "amount": 36.50}}'"""
    )
    say("")
    say("Press Ctrl-C to stop.")
