"""Fetch a page as each major AI crawler identifies itself, and as a browser, to compare the answers.

This sends requests with other parties' user agents: it is meant for auditing one's own site (README, "AI
crawlers at the door"). Each fetch goes through the safe fetcher (same address rules, size caps and time
limits); the whole probe has its own time budget, and crawlers left when it runs out are reported as errors.
The verdicts come from :func:`scoring.facts.bot_access.bot_verdicts` (pure).
"""

from __future__ import annotations

import dataclasses
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

from scoring.facts.bot_access import bot_verdicts, summarize_response

from .errors import FetchError
from .fetch import fetch
from .policy import FetchPolicy

__all__ = ["PROBE_SECONDS", "crawler_agents", "probe_bots"]

PROBE_SECONDS = 40.0  # nine fetches of one page; a slow site gets the rest reported as "error: timeout"


@cache
def _agents() -> dict[str, Any]:
    with (Path(__file__).parent.parent / "data" / "ai_user_agents.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def crawler_agents() -> list[dict[str, str]]:
    """The crawlers probed, with their published user-agent strings."""
    return list(_agents()["crawlers"])


def _fetch_as(url: str, policy: FetchPolicy, user_agent: str, deadline: float) -> dict[str, Any]:
    left = deadline - time.monotonic()
    if left <= 0.2:
        return summarize_response(None, None, b"", error="timeout")
    policy = dataclasses.replace(policy, user_agent=user_agent, total_timeout=min(policy.total_timeout, left))
    try:
        answer = fetch(url, policy, html_only=False, raise_for_status=False)
    except FetchError as e:
        return summarize_response(e.status, None, b"", error=e.code)
    return summarize_response(answer.status, answer.content_type, answer.body)


def probe_bots(url: str, policy: FetchPolicy, *, seconds: float = PROBE_SECONDS) -> dict[str, Any]:
    """The browser's answer and each crawler's verdict (``access.bots`` of a report)."""
    deadline = time.monotonic() + seconds
    baseline = _fetch_as(url, policy, _agents()["browser"], deadline)
    responses = {c["agent"]: _fetch_as(url, policy, c["user_agent"], deadline) for c in crawler_agents()}
    result = bot_verdicts(baseline, responses)
    purposes = {c["agent"]: c["purpose"] for c in crawler_agents()}
    for bot in result["bots"]:
        bot["purpose"] = purposes.get(bot["agent"])
    return result
