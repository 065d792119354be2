"""The local stack's static server answers like a static host: the site's own 404 page for a
path that names no file, and no listing of a folder without an index page."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from referbee.devstack.static import StaticServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "style.css").write_text("body{}")
    (site / "index.html").write_text("<h1>Home</h1>")
    (site / "404.html").write_text("<h1>Page not found</h1>")
    running = StaticServer({"/": site}, "127.0.0.1", 0)
    running.start()
    yield running.url
    running.stop()


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.mark.parametrize("path", ["/leaderboard/x", "/no-such-page.html", "/assets/"])
def test_unknown_paths_get_the_sites_404_page(server: str, path: str) -> None:
    status, kind, body = fetch(server + path)
    assert (status, body) == (404, "<h1>Page not found</h1>")
    assert kind == "text/html; charset=utf-8"


def test_files_are_still_served(server: str) -> None:
    assert fetch(server + "/")[::2] == (200, "<h1>Home</h1>")
    assert fetch(server + "/assets/style.css")[::2] == (200, "body{}")
