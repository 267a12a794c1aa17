"""``--compare FILE`` and ``--max-drop N`` for ``healthgeo audit`` and ``healthgeo crawl``: offline, on saved outputs.

A saved output is what the command line writes: ``audit --format json`` (one or more JSON documents),
``audit --format jsonl`` or ``crawl -o`` (JSON Lines, a crawl's with its page record under ``batch``). Pages
are matched by their batch URL, else canonical URL, else URL, else the INPUT they were audited from.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from scoring.compare import compare_sites, worst_drop
from scoring.i18n import comparison_lines, engine_message, site_comparison_lines
from scoring.rescore import compare_across_rules

__all__ = ["SavedOutputError", "attach_changes", "compare_crawl", "drop_exceeded", "load_saved", "page_changes_text"]


class SavedOutputError(ValueError):
    """A --compare file that cannot be read as saved reports."""


def _documents(text: str) -> Iterator[dict[str, Any]]:
    """Every JSON object of ``text``: one document, several one after another (audit --format json), or lines."""
    decoder = json.JSONDecoder()
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        value, pos = decoder.raw_decode(text, pos)
        if isinstance(value, list):
            yield from (v for v in value if isinstance(v, dict))
        elif isinstance(value, dict):
            yield value


def load_saved(path: str, lang: str = "en") -> list[dict[str, Any]]:
    """The reports of a saved output (raises :class:`SavedOutputError` with a one-line reason in ``lang``)."""
    from ..reports.env import ui_text

    try:
        with open(path, encoding="utf-8") as fh:
            reports = list(_documents(fh.read()))
    except FileNotFoundError:
        raise SavedOutputError(ui_text("cli_no_file", lang, item=path)) from None
    except OSError as e:
        raise SavedOutputError(ui_text("cli_cannot_read", lang, path=path, reason=e.strerror)) from None
    except (UnicodeDecodeError, ValueError) as e:
        raise SavedOutputError(ui_text("cli_saved_not_output", lang, path=path, reason=str(e))) from None
    if not any("score" in r for r in reports):
        raise SavedOutputError(ui_text("cli_saved_empty", lang, path=path))
    return reports


def _keys(report: dict[str, Any]) -> list[str]:
    batch = report.get("batch") or {}
    facts = report.get("facts") or {}
    return [k for k in (batch.get("url"), facts.get("canonical"), report.get("url"), report.get("input")) if k]


def _previous_for(report: dict[str, Any], saved: list[dict[str, Any]]) -> dict[str, Any] | None:
    scored = [r for r in saved if r.get("score") is not None]
    wanted = set(_keys(report))
    for old in scored:
        if wanted & set(_keys(old)):
            return old
    return scored[0] if len(scored) == 1 else None


def attach_changes(report: dict[str, Any], saved: list[dict[str, Any]], lang: str) -> dict[str, Any] | None:
    """Compare ``report`` with its page's report in ``saved``; sets ``compared_to`` and ``changes`` (with
    ``lines``, the same in ``lang``)."""
    old = _previous_for(report, saved)
    if old is None:
        report["compared_to"], report["changes"] = None, None
        return None
    old_id = old.get("id") or old.get("input")
    report["compared_to"] = old_id
    report["changes"] = compare_across_rules(old, report, old_id=old_id)
    report["changes"]["compared_at"] = old.get("created_at")
    report["changes"]["lines"] = comparison_lines(report["changes"], lang)
    return report["changes"]


def page_changes_text(report: dict[str, Any], lang: str) -> str:
    from ..reports.env import ui_strings

    t = ui_strings(lang)
    changes = report.get("changes")
    if not changes:
        return ""
    lines = changes.get("lines") or [t["no_change"]]
    return "\n".join(["", "  " + t["text_since_last"].format(id=report.get("compared_to") or "–")]
                     + [f"    {line}" for line in lines])


def drop_exceeded(comparison: dict[str, Any] | None, limit: float | None, lang: str) -> bool:
    """True (and says so on stderr) when a page lost more than ``limit`` points."""
    if comparison is None or limit is None:
        return False
    drop = worst_drop(comparison)
    if drop <= limit:
        return False
    print("healthgeo: " + engine_message("compare", "worst-drop", {"drop": drop, "limit": limit}, lang),
          file=sys.stderr)
    return True


def _site_entries(reports: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Saved reports or page records as what ``compare_sites`` reads, keyed by the page's batch URL."""
    out = []
    for r in reports:
        batch = r.get("batch") or {}
        if r.get("score") is None or batch.get("state", "done") != "done":
            continue
        keys = _keys(r)
        checks = r.get("checks")
        if checks is None:  # a page record: its failed and warned checks
            checks = ([{"id": c, "status": "fail"} for c in r.get("failed_checks") or ()]
                      + [{"id": c, "status": "warn"} for c in r.get("warned_checks") or ()])
        out.append({"url": keys[0] if keys else None, "score": r["score"], "rules_version": r.get("rules_version"),
                    "checks": [{"id": c["id"], "status": c["status"]} for c in checks]})
    return out


def compare_crawl(saved: list[dict[str, Any]], current: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A crawl's pages (page records or saved reports) compared with a saved crawl."""
    return compare_sites(_site_entries(saved), _site_entries(current))


def site_changes_text(comparison: dict[str, Any], lang: str) -> str:
    from ..reports.env import ui_strings

    return "\n".join([ui_strings(lang)["text_site_since"]] + [f"  {line}" for line in
                                                              site_comparison_lines(comparison, lang)])
