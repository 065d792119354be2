"""Bots and link-preview crawlers (Slack, WhatsApp, iMessage, search engines...) follow
referral links too; they are redirected but never counted.

The pattern list is CrawlerDetect's, a maintained library, compiled on first use rather
than at import so a cold start that serves no click does not pay for it.
"""

from __future__ import annotations

import functools
from typing import Any


def is_bot(user_agent: str) -> bool:
    if not user_agent.strip():
        return True  # every real browser sends a user agent
    return bool(_detector().isCrawler(user_agent[:1000]))


@functools.cache
def _detector() -> Any:
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()
