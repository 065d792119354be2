"""What a referrer's browser downloads to show their stats page: every request the page
makes, loaded in Chromium from `referbee dev` with an empty cache; raw bytes and what they
come to gzipped (CloudFront compresses; a plain S3 website does not)."""

from __future__ import annotations

import gzip
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench import setup_paths

setup_paths()


@dataclass
class Transfer:
    files: list[tuple[str, int, int]] = field(default_factory=list)  # (path, raw, gzipped)

    @property
    def raw(self) -> int:
        return sum(raw for _, raw, _ in self.files)

    @property
    def gzipped(self) -> int:
        return sum(packed for _, _, packed in self.files)


def measure() -> Transfer:
    from playwright.sync_api import sync_playwright

    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS
    from tests.common import BROWSER
    from tests.e2e.stack import DevStack, request

    result = Transfer()
    with tempfile.TemporaryDirectory() as work:
        stack = DevStack(Path(work), admin_key="rk_bench_admin_key_0123456789").start()
        try:
            issued = request(
                "POST",
                f"{stack.api}/v1/programs/demo/referrers",
                {"email": "size@example.com", "name": "Sam Size"},
                {"Authorization": f"Bearer {stack.admin_key}"},  # answered with the stats URL
            ).json()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(user_agent=BROWSER)
                bodies: list[tuple[str, bytes]] = []
                page.on("requestfinished", lambda r: bodies.append((r.url, r.response().body())))
                page.goto(issued["stats_url"])
                page.wait_for_selector("#referbee-stats[data-state=ready]")
                page.wait_for_load_state("networkidle")
                browser.close()
            for url, body in bodies:
                parts = urlsplit(url)
                result.files.append((parts.path, len(body), len(gzip.compress(body, 9))))
        finally:
            stack.stop()
    return result


def table(result: Transfer) -> str:
    lines = ["| request | bytes | gzipped |", "|---|---:|---:|"]
    for path, raw, packed in sorted(result.files, key=lambda f: -f[1]):
        lines.append(f"| `{path}` | {raw:,} | {packed:,} |")
    lines.append(
        f"| **total ({len(result.files)} requests)** | **{result.raw:,}** | "
        f"**{result.gzipped:,}** |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))
