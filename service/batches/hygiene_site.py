"""Canonical and hreflang across a batch's pages: what one page cannot tell about itself.

A page's record keeps its canonical URL and hreflang pairs compactly (``page_hygiene``); the summary feeds every
record to a :class:`SiteHygiene` and reads its findings at the end:

* canonical URLs that point at a page of the batch that answered a redirect (its final URL differs) or a 404/410;
* hreflang pairs that are not reciprocal: page A names B as a language version, B was audited and does not name
  A back (Google ignores such pairs).

URLs are compared in the batch's own normal form (``service.discovery.normalize_url``).
"""

from __future__ import annotations

from typing import Any

from ..net.discovery import normalize_url

__all__ = ["MAX_HREFLANG_PER_PAGE", "SiteHygiene", "page_hygiene"]

# hreflang pairs kept per page record: sites list one alternate a language, a few dozen at most.
MAX_HREFLANG_PER_PAGE = 50
EXAMPLES = 20  # examples kept per finding in the summary
GONE_STATUSES = frozenset({404, 410})


def page_hygiene(report: dict[str, Any]) -> dict[str, Any] | None:
    """What the summary needs of a page's hygiene facts: its canonical URL (None when it gives none or several
    that differ) and its hreflang pairs ``[code, url]``."""
    facts = (report.get("facts") or {}).get("hygiene")
    if not facts:
        return None
    canonicals = list(dict.fromkeys(c["url"] for c in facts.get("canonicals") or ()))
    return {"canonical": canonicals[0] if len(canonicals) == 1 else None,
            "hreflang": [[a["lang"], a["url"]] for a in (facts.get("hreflang") or ())[:MAX_HREFLANG_PER_PAGE]]}


def _finding() -> dict[str, Any]:
    return {"count": 0, "examples": []}


def _add(finding: dict[str, Any], example: dict[str, Any]) -> None:
    finding["count"] += 1
    if len(finding["examples"]) < EXAMPLES:
        finding["examples"].append(example)


class SiteHygiene:
    """Collects the records of one batch (any order), then judges canonicals and hreflang pairs across them."""

    def __init__(self) -> None:
        self._answers: dict[str, dict[str, Any]] = {}  # normalised URL -> how the page answered
        self._pages: list[tuple[str, set[str], str | None, list[tuple[str, str]]]] = []
        self._documents: set[str] = set()

    def add(self, record: dict[str, Any]) -> None:
        url = normalize_url(record.get("url") or "")
        if url is None or record.get("state") == "skipped_robots":
            return
        status = record.get("status") or (record.get("error") or {}).get("status")
        final = normalize_url(record.get("final_url") or "") if record.get("final_url") else None
        self._answers[url] = {"state": record.get("state"), "status": status, "final_url": final}
        hygiene = record.get("hygiene")
        if record.get("state") != "done" or not hygiene:
            return
        page = final or url  # a page reached through a redirect is the document at its final URL: judged once
        if page in self._documents:
            return
        self._documents.add(page)
        canonical = normalize_url(hygiene.get("canonical") or "") if hygiene.get("canonical") else None
        names = {u for u in (url, final, canonical) if u}
        pairs = [(str(code), target) for code, href in hygiene.get("hreflang") or ()
                 if (target := normalize_url(str(href)))]
        self._pages.append((page, names, canonical, pairs))

    def findings(self) -> dict[str, Any]:
        to_redirect, to_missing, not_reciprocal = _finding(), _finding(), _finding()
        named_back: dict[str, set[str]] = {}  # each name of an audited page -> the pages its hreflang names
        for _url, names, _canonical, pairs in self._pages:
            targets = {target for _code, target in pairs}
            for name in names:
                named_back.setdefault(name, targets)
        for url, names, canonical, pairs in self._pages:
            answer = self._answers.get(canonical) if canonical else None
            if answer is not None:
                if answer["state"] == "failed" and answer["status"] in GONE_STATUSES:
                    _add(to_missing, {"url": url, "canonical": canonical, "status": answer["status"]})
                elif answer["final_url"] and answer["final_url"] != canonical:
                    _add(to_redirect, {"url": url, "canonical": canonical, "final_url": answer["final_url"]})
            for code, target in pairs:
                if target in names:
                    continue  # the page's own entry
                back = named_back.get(target)  # None: not audited in this batch, nothing to judge
                if back is not None and not back & names:
                    _add(not_reciprocal, {"url": url, "hreflang": code, "target": target})
        return {"canonical_to_redirect": to_redirect, "canonical_to_missing": to_missing,
                "hreflang_not_reciprocal": not_reciprocal}
