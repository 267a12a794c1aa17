"""What changed between two audits of one page, and between two audits of one site.

Pure functions over reports (the dicts ``audit_html`` returns, or their saved JSON), so the API, the
reports and the offline CLI (``--compare previous.json``) give the same answer. Every change is a
``code`` with ``params``; ``scoring.i18n.change_text`` renders it in the reader's language.

Thresholds (documented here, tested at their boundaries):
- ``MIN_SCORE_DELTA``: a page counts as improved or regressed when its score moved by at least this many
  points; smaller moves are rounding noise of the category means.
- ``HISTOGRAM_BIN``: width of the score histogram's bins, in points.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

MIN_SCORE_DELTA = 1.0
HISTOGRAM_BIN = 10
FAILING = ("fail",)
_PEOPLE = ("authors", "reviewers")
_DATES = ("date_published", "date_modified", "last_reviewed")
_FIX_ACTIONS = ("add", "correct", "remove")


def _delta(before: float | None, after: float | None) -> dict[str, Any]:
    delta = round(after - before, 1) if before is not None and after is not None else None
    return {"before": before, "after": after, "delta": delta}


def _statuses(report: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["status"] for c in report.get("checks") or ()}


def _names(people: list[dict[str, Any]] | None) -> set[str]:
    return {p["name"] for p in people or () if p.get("name")}


def _citation_keys(facts: dict[str, Any]) -> set[str]:
    return {c.get("url") or c.get("text") or "" for c in facts.get("citations") or () if c.get("authoritative")} - {""}


def _day(value: Any) -> str | None:
    return str(value)[:10] if value else None


def _fact_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    for role in _PEOPLE:
        before, after = _names(old.get(role)), _names(new.get(role))
        changes += [{"code": f"{role}-added", "params": {"name": n}} for n in sorted(after - before)]
        changes += [{"code": f"{role}-removed", "params": {"name": n}} for n in sorted(before - after)]
    for field in _DATES:
        before, after = old.get(field), new.get(field)
        if _day(before) != _day(after):  # the same day read from markup (with a time) or from the text is no change
            code = "date-added" if not before else "date-removed" if not after else "date-changed"
            changes.append({"code": code, "params": {"field": field, "before": before, "after": after}})
    before, after = _citation_keys(old), _citation_keys(new)
    if after - before:
        changes.append({"code": "citations-added", "params": {"count": len(after - before)},
                        "values": sorted(after - before)})
    if before - after:
        changes.append({"code": "citations-removed", "params": {"count": len(before - after)},
                        "values": sorted(before - after)})
    errors_before = len((old.get("structured_data") or {}).get("errors") or ())
    errors_after = len((new.get("structured_data") or {}).get("errors") or ())
    if errors_before != errors_after:
        changes.append({"code": "markup-errors-changed", "params": {"before": errors_before, "after": errors_after}})
    return changes


def _proposals(report: dict[str, Any]) -> set[tuple[str, str]]:
    """What a report's fix asks the editor to change: (action, property) pairs, nodes ignored (ids move)."""
    fix = report.get("fix") or {}
    return {(c["action"], c.get("property") or "(node)") for c in fix.get("changes") or ()
            if c.get("action") in _FIX_ACTIONS}


def _fix_progress(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    if "fix" not in old or "fix" not in new:
        return None
    proposed, still = _proposals(old), _proposals(new)
    applied = proposed - still
    status = ("none-proposed" if not proposed else "applied" if applied == proposed
              else "partly-applied" if applied else "not-applied")
    return {"status": status, "proposed": len(proposed), "applied": len(applied),
            "remaining": sorted(f"{a} {p}" for a, p in proposed & still)}


def compare_reports(old: dict[str, Any], new: dict[str, Any], *, old_id: str | None = None) -> dict[str, Any]:
    """The changes from ``old`` to ``new`` (two reports of the same page)."""
    before, after = _statuses(old), _statuses(new)
    started, stopped, changed = [], [], []
    for check_id in sorted(before.keys() | after.keys()):
        was, now = before.get(check_id), after.get(check_id)
        if was == now:
            continue
        if now in FAILING:
            started.append(check_id)
        elif was in FAILING:
            stopped.append(check_id)
        changed.append({"id": check_id, "before": was, "after": now})
    categories = {name: _delta((old.get("categories") or {}).get(name, {}).get("score"), cat.get("score"))
                  for name, cat in (new.get("categories") or {}).items()}
    rules_changed = old.get("rules_version") != new.get("rules_version")
    return {
        "compared_to": old_id,
        "rules_changed": rules_changed,
        "rules_version": {"before": old.get("rules_version"), "after": new.get("rules_version")},
        "score": _delta(old.get("score"), new.get("score")),
        "grade": {"before": old.get("grade"), "after": new.get("grade")},
        "categories": categories,
        "checks": {"started_failing": started, "stopped_failing": stopped, "changed": changed},
        "facts": _fact_changes(old.get("facts") or {}, new.get("facts") or {}),
        "fix": _fix_progress(old, new),
    }


def _page_key(report: dict[str, Any]) -> str | None:
    facts = report.get("facts") or {}
    return facts.get("canonical") or report.get("url") or facts.get("url")


def histogram(scores: list[float]) -> list[int]:
    """Pages per score bin: [0-10), [10-20), ... [90-100]."""
    bins = [0] * (100 // HISTOGRAM_BIN)
    for score in scores:
        bins[min(int(score // HISTOGRAM_BIN), len(bins) - 1)] += 1
    return bins


def _failing_counts(reports: list[dict[str, Any]]) -> Counter[str]:
    return Counter(cid for r in reports for cid, status in _statuses(r).items() if status in FAILING)


def compare_sites(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, Any]:
    """Changes between two audits of a site (lists of page reports, each with ``score`` and ``checks``)."""
    before = {k: r for r in old if (k := _page_key(r))}
    after = {k: r for r in new if (k := _page_key(r))}
    improved, regressed = [], []
    for key in sorted(before.keys() & after.keys()):
        delta = _delta(before[key].get("score"), after[key].get("score"))
        if delta["delta"] is None:
            continue
        entry = {"url": key, **delta}
        if delta["delta"] >= MIN_SCORE_DELTA:
            improved.append(entry)
        elif delta["delta"] <= -MIN_SCORE_DELTA:
            regressed.append(entry)
    failing_before, failing_after = _failing_counts(list(before.values())), _failing_counts(list(after.values()))
    checks = [{"id": cid, "before": failing_before[cid], "after": failing_after[cid],
               "delta": failing_after[cid] - failing_before[cid]}
              for cid in sorted(failing_before.keys() | failing_after.keys())
              if failing_before[cid] != failing_after[cid]]
    return {
        "pages": {"new": sorted(after.keys() - before.keys()), "gone": sorted(before.keys() - after.keys()),
                  "improved": sorted(improved, key=lambda e: -e["delta"]),
                  "regressed": sorted(regressed, key=lambda e: e["delta"])},
        "checks": sorted(checks, key=lambda c: -abs(c["delta"])),
        "histogram": {"before": histogram([r["score"] for r in before.values() if r.get("score") is not None]),
                      "after": histogram([r["score"] for r in after.values() if r.get("score") is not None])},
        "rules_changed": bool({r.get("rules_version") for r in before.values()}
                              ^ {r.get("rules_version") for r in after.values()}),
    }


def worst_drop(comparison: dict[str, Any]) -> float:
    """The largest score loss of a page comparison or a site comparison (0 when nothing fell)."""
    if "pages" in comparison:
        return max((-e["delta"] for e in comparison["pages"]["regressed"]), default=0.0)
    delta = comparison["score"]["delta"]
    return max(0.0, -delta) if delta is not None else 0.0
