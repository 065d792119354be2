"""Uploads the built site to its bucket: only what changed (by MD5, which is the ETag of a
single-part upload), with the right content type and cache policy, stale files deleted."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .state import Outcome

# mkdocs-material names its built assets with a content hash (bundle.f55a23d4.min.js).
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.")
LONG_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
SHORT_CACHE = "public, max-age=300"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ico": "image/x-icon",
    ".gz": "application/gzip",
}


@dataclass(frozen=True)
class SiteFile:
    key: str
    path: Path
    md5: str
    content_type: str
    cache_control: str


def site_files(site_dir: Path, *, directory_keys: bool = False) -> dict[str, SiteFile]:
    """Every file of the built site, by bucket key. With `directory_keys`, each `dir/index.html`
    is also stored as `dir/`, so a private bucket behind CloudFront serves `/dir/` as S3's
    website endpoint would."""
    files: dict[str, SiteFile] = {}
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        key = path.relative_to(site_dir).as_posix()
        files[key] = describe(key, path)
        if directory_keys and key.endswith("/index.html"):
            alias = key.removesuffix("index.html")
            files[alias] = describe(alias, path, content_type=_TYPES[".html"])
    return files


def describe(key: str, path: Path, content_type: str | None = None) -> SiteFile:
    return SiteFile(
        key=key,
        path=path,
        md5=hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest(),
        content_type=content_type or content_type_of(key),
        cache_control=cache_control_of(key, content_type),
    )


def content_type_of(key: str) -> str:
    suffix = Path(key).suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(key)
    return guessed or "application/octet-stream"


def cache_control_of(key: str, content_type: str | None = None) -> str:
    """HTML is revalidated on every visit; hashed assets are cached for a year; the rest
    (the widget, whose URL is fixed in customers' pages, images, referbee.json) for 5 minutes."""
    if (content_type or content_type_of(key)).startswith("text/html"):
        return NO_CACHE
    if FINGERPRINTED.search(Path(key).name):
        return LONG_CACHE
    return SHORT_CACHE


def sync(s3: Any, bucket: str, files: dict[str, SiteFile]) -> tuple[Outcome, list[str]]:
    """Upload new and changed files (assets before pages, so no page ever points at an
    asset not yet uploaded), then delete stale ones. Returns the outcome and changed keys."""
    remote = remote_etags(s3, bucket)
    changed = [f for f in files.values() if remote.get(f.key) != f.md5]
    changed.sort(key=lambda f: (f.content_type.startswith("text/html"), f.key))
    for site_file in changed:
        s3.put_object(
            Bucket=bucket,
            Key=site_file.key,
            Body=site_file.path.read_bytes(),
            ContentType=site_file.content_type,
            CacheControl=site_file.cache_control,
        )
    stale = sorted(set(remote) - set(files))
    for start in range(0, len(stale), 1000):
        batch = [{"Key": key} for key in stale[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    unchanged = len(files) - len(changed)
    if not changed and not stale:
        return Outcome(False, f"{len(files)} files, all up to date"), []
    detail = f"{len(changed)} uploaded, {len(stale)} deleted, {unchanged} unchanged"
    return Outcome(True, detail), [f.key for f in changed] + stale


def remote_etags(s3: Any, bucket: str) -> dict[str, str]:
    etags: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            etags[item["Key"]] = str(item["ETag"]).strip('"')
    return etags
