"""AI crawlers at the door: the page as each AI crawler gets it, compared with what a browser gets.

Many CDNs and firewalls answer AI crawlers with a 403 or a challenge page whatever robots.txt says; a page
GPTBot cannot fetch is invisible to ChatGPT. The service fetches the page once per user agent; this module,
pure, summarises each response (:func:`summarize_response`) and gives each crawler a verdict against the
browser's response (:func:`bot_verdicts`): ``served``, ``blocked`` (an error status), ``challenged`` (a
challenge page's markers the browser's page lacks), ``different`` (another content type or little text in
common) or ``error`` (the fetch failed: timeout, connection refused).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from scoring.page.index import words
from scoring.page.model import Page

__all__ = ["DIFFERENT_SIMILARITY", "VERDICTS", "bot_verdicts", "challenge_markers", "summarize_response"]

VERDICTS = ("served", "blocked", "challenged", "different", "error")
# Word-set similarity (Jaccard) below which a crawler got another page than the browser. The same article
# served twice differs by a few rotating words (ads, tokens, "related" links): well above one half.
DIFFERENT_SIMILARITY = 0.5
_SCAN_BYTES = 64 * 1024  # challenge pages are short; their markers sit in the first kilobytes
_WORD_CAP = 5_000


@cache
def _markers() -> tuple[str, ...]:
    path = resources.files("scoring").joinpath("data", "challenge_markers.json")
    return tuple(json.loads(path.read_text(encoding="utf-8"))["markers"])


def challenge_markers(body: bytes) -> list[str]:
    """The challenge-page markers the start of ``body`` holds."""
    head = body[:_SCAN_BYTES].decode("utf-8", "replace").lower()
    return [m for m in _markers() if m in head]


def summarize_response(status: int | None, content_type: str | None, body: bytes, *,
                       error: str | None = None) -> dict[str, Any]:
    """What is compared of one response: status, content type, size, challenge markers and its words."""
    visible: list[str] = []
    if body and error is None and (content_type or "text/html").startswith(("text/html", "application/xhtml")):
        visible = [w.lower() for w in words(Page.parse(body).body_text)[:_WORD_CAP]]
    return {"status": status, "content_type": content_type, "bytes": len(body), "error": error,
            "markers": challenge_markers(body) if body else [], "words": visible}


def _similarity(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def _verdict(baseline: dict[str, Any], response: dict[str, Any]) -> tuple[str, float | None, list[str]]:
    if response.get("error"):
        return "error", None, []
    new_markers = [m for m in response["markers"] if m not in baseline["markers"]]
    status = response["status"] or 0
    if new_markers:
        return "challenged", None, new_markers
    if status >= 400:
        return "blocked", None, []
    similarity = _similarity(baseline["words"], response["words"])
    if response["content_type"] != baseline["content_type"] or similarity < DIFFERENT_SIMILARITY:
        return "different", round(similarity, 3), []
    return "served", round(similarity, 3), []


def bot_verdicts(baseline: dict[str, Any], responses: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each crawler's verdict against the browser's response (``baseline``; summaries of
    :func:`summarize_response`, ``responses`` keyed by crawler name). ``comparable`` is false when the
    browser itself got no page (an error or a status >= 400): then nothing is judged."""
    comparable = not baseline.get("error") and (baseline.get("status") or 0) < 400
    bots = []
    for agent, response in responses.items():
        entry = {"agent": agent, "status": response.get("status"), "content_type": response.get("content_type"),
                 "bytes": response.get("bytes"), "error": response.get("error")}
        if comparable:
            verdict, similarity, markers = _verdict(baseline, response)
            entry.update(verdict=verdict, similarity=similarity, markers=markers)
        bots.append(entry)
    return {"comparable": comparable,
            "browser": {k: baseline.get(k) for k in ("status", "content_type", "bytes", "error")},
            "bots": bots}
