"""`referbee site build`: mkdocs --strict, every page there, nothing from another host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from referbee.cli import main
from referbee.site.audit import foreign_references, missing_files
from referbee.site.build import build_sites
from tests.common import config_document

API = "https://api.refer.example"
NAME = 'Bean <b>There</b> & "Co"'


def board_document(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    document = config_document()
    shop = document["programs"][0]
    shop["name"] = NAME
    shop["brand"] = {"primary_color": "#ffeb3b", "logo": "logo.svg", "favicon": "icon.png"}
    shop["site"] = {"leaderboard": True, "title": "<i>Bring</i> a friend"}
    return document


def test_every_page_is_built_with_only_the_api_as_another_host(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build_sites(
        board_document(tmp_path), api_url=API, site_url="", out=out, base_dir=tmp_path
    )
    assert result.pages == [
        "index.html",
        "stats/index.html",
        "signin/index.html",
        "admin/index.html",
        "404.html",
        "leaderboard/index.html",
        "programs/acme/index.html",
        "programs/acme/stats/index.html",
        "programs/acme/signin/index.html",
        "programs/acme/admin/index.html",
        "programs/acme/404.html",
    ]
    for page in result.pages:
        assert (out / page).stat().st_size > 1000, page
    assert not (out / "programs/acme/leaderboard").exists()  # acme has no leaderboard
    assert foreign_references(out, {API}) == []
    assert missing_files(out) == []
    assert (out / "assets/brand/logo.svg").exists() and (out / "assets/brand/favicon.png").exists()
    assert not list(out.rglob("bundle.*.js")) and not list(out.rglob("*.map"))

    pages = {page: (out / page).read_text() for page in result.pages if page.endswith(".html")}
    for page, text in pages.items():
        assert "Content-Security-Policy" in text and f"connect-src 'self' {API}" in text, page
        assert "<b>There" not in text and "<i>Bring" not in text, page
    assert "Bean &lt;b&gt;There&lt;/b&gt; &amp;" in pages["index.html"]
    assert "&lt;i&gt;Bring&lt;/i&gt; a friend" in pages["index.html"]
    assert 'name="robots" content="noindex, nofollow"' in pages["stats/index.html"]
    assert 'name="robots" content="noindex, nofollow"' in pages["admin/index.html"]
    assert 'name="robots" content="noindex, nofollow"' in pages["signin/index.html"]
    assert "--md-primary-bg-color: #000000" in (out / "assets/referbee/brand.css").read_text()
    stats = foreign_references(out, set())
    assert stats and all(API in line for line in stats)  # the API is really referenced


def test_a_reference_to_another_host_fails_the_build(tmp_path: Path) -> None:
    document = config_document()
    document["programs"][0]["site"] = {"leaderboard": True}
    out = tmp_path / "out"
    build_sites(document, api_url=API, site_url="", out=out, program="shop")
    (out / "extra.html").write_text('<link rel="stylesheet" href="https://fonts.example/x.css">')
    assert foreign_references(out, {API}) == ["extra.html: https://fonts.example/x.css"]
    (out / "broken.html").write_text('<script src="assets/referbee/nope.js"></script>')
    assert missing_files(out) == ["broken.html: assets/referbee/nope.js"]


def test_the_widget_is_embedded_on_the_program_page_when_asked(tmp_path: Path) -> None:
    document = config_document()
    document["programs"][0]["site"] = {"widget": True}
    out = tmp_path / "out"
    build_sites(document, api_url=API, site_url="", out=out)
    root = (out / "index.html").read_text()
    assert '<script async src="widget/referbee.js" data-api="https://api.refer.example" ' in root
    assert "data-referbee-panel" in root
    nested = (out / "programs/acme/index.html").read_text()
    assert "widget/referbee.js" not in nested  # acme did not ask for it
    assert missing_files(out) == []  # the widget is copied in by its own build step


def run_cli(tmp_path: Path, document: dict[str, Any], *args: str) -> Any:
    config = tmp_path / "referbee.yaml"
    config.write_text(yaml.safe_dump(document, allow_unicode=True))
    runner = CliRunner()
    return runner.invoke(main, ["site", "build", "--config", str(config), *args])


def test_cli_builds_and_names_every_text_left_to_defaults(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_cli(tmp_path, board_document(tmp_path), "--api", API, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (
        "program 'shop': no text written for site.faq, site.get_link, site.how_it_works, "
        "site.pitch, site.privacy, site.terms; using defaults" in result.output
    )
    assert "program 'acme': no text written for site.faq, site.get_link" in result.output
    assert f"Built 11 pages and the widget into {out} (API: {API})" in result.output
    assert (out / "widget" / "referbee.js").stat().st_size > 1000
    from referbee.site.audit import foreign_references, missing_files

    assert foreign_references(out, {API}) == []
    assert missing_files(out) == []
    only = run_cli(
        tmp_path, board_document(tmp_path), "--api", API, "--out", str(out), "--program", "acme"
    )
    assert only.exit_code == 0 and "program 'shop'" not in only.output
    assert (out / "index.html").exists() and not (out / "programs").exists()


@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        ({}, [], "give the API address with --api URL or api_url in referbee.yaml"),
        ({}, ["--api", "ftp://x.example"], "must start with https://"),
        ({}, ["--api", API, "--program", "nope"], "There is no referral program 'nope'"),
        ({"brand": {"logo": "missing.svg"}}, ["--api", API], "brand.logo: file"),
        ({"site": {"faq": "none"}}, ["--api", API], "site.faq: must be a list"),
    ],
)
def test_cli_reports_bad_input_in_one_clear_line(
    tmp_path: Path, change: dict[str, Any], args: list[str], message: str
) -> None:
    document = config_document()
    document["programs"][0].update(change)
    result = run_cli(tmp_path, document, "--out", str(tmp_path / "o"), *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
