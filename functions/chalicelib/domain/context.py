"""What every domain service needs, passed in explicitly (never created at import time)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.clock import Clock
from ..model.program import Catalogue
from ..model.store import Store
from .trust.signing import Signer


@dataclass(frozen=True)
class Context:
    store: Store
    catalogue: Catalogue
    signer: Signer
    clock: Clock


@dataclass(frozen=True)
class Links:
    """Absolute addresses of the API, the program site and the click path (the Function URL
    or the program's own link domain; the API's address when it has none of its own), for
    links handed to people."""

    api_base: str
    site_base: str
    link_base: str = ""

    def referral_link(self, code: str) -> str:
        return f"{self.link_base or self.api_base}/r/{code}"

    def stats_url(self, token: str) -> str:
        return f"{self.site_base}/stats/?t={token}"

    def signin_url(self, program: str, token: str) -> str:
        """The sign-in page of the site, which confirms with a POST: following the link (a
        mail scanner's prefetch too) spends nothing."""
        return f"{self.site_base}/signin/?p={program}&t={token}"
