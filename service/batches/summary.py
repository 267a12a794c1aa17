"""The site picture of a batch (docs: /work contract "site summary"), built in one pass over the page records.

``build_summary`` is pure (records in, dict out) so the API, the webhook, the CLI and the site report
renderer share it; ``summary_for(rt, batch_id)`` reads a batch from Redis and calls it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any

import scoring
from scoring.weights import CATEGORY_WEIGHTS

from .access_summary import AccessTally
from .audience_site import AudienceSite
from .hygiene_site import SiteHygiene

__all__ = ["GRADES", "build_summary", "summary_for"]

GRADES = ("A", "B", "C", "D", "E", "F")
MAX_CHECK_PAGES = 20
WORST_PAGES = 20
TOP_SECTION_CHECKS = 5


def _catalogue() -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in scoring.catalogue()}


def _bucket(score: float) -> int:
    return min(int(score // 10), 9)  # the last bucket holds 90-100 inclusive


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def build_summary(batch: dict[str, Any], records: Iterable[dict[str, Any]], *, site: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
    """The summary of ``batch`` (its progress: id, state, mode, start, times, counts, pages_per_second).

    ``records`` are the page records (``service.batches.pages``), in any order; ``site`` the facts
    found at discovery (origin, robots, llms_txt, sitemaps, sitemap_errors).
    """
    catalogue = _catalogue()
    scores: list[float] = []
    histogram = [0] * 10
    grades = dict.fromkeys(GRADES, 0)
    categories: dict[str, list[float]] = {name: [] for name in CATEGORY_WEIGHTS}
    checks: dict[str, dict[str, Any]] = {}
    not_applicable: dict[str, int] = {}
    sections: dict[str, dict[str, Any]] = {}
    titles: dict[str, list[str]] = {}
    h1s: dict[str, list[str]] = {}
    audited: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    hygiene = SiteHygiene()
    access = AccessTally()
    audience = AudienceSite()

    for record in records:
        hygiene.add(record)
        state = record["state"]
        if state == "skipped_robots":
            continue
        section = sections.setdefault(record.get("section") or "/", {"pages": 0, "scores": [], "failed": 0,
                                                                      "checks": {}})
        if state == "failed":
            section["failed"] += 1
            error = record.get("error") or {}
            errors.append({"url": record["url"], "code": error.get("code"), "status": error.get("status"),
                           "message": error.get("message")})
            continue
        score = float(record["score"])
        audited.append(record)
        scores.append(score)
        histogram[_bucket(score)] += 1
        if record.get("grade") in grades:
            grades[record["grade"]] += 1
        for name, value in (record.get("categories") or {}).items():
            if value is not None and name in categories:
                categories[name].append(float(value))
        section["pages"] += 1
        section["scores"].append(score)
        access.add(record)
        audience.add(record)
        for check_id in record.get("failed_checks", ()):
            entry = checks.setdefault(check_id, {"failed": 0, "warned": 0, "pages": []})
            entry["failed"] += 1
            if len(entry["pages"]) < MAX_CHECK_PAGES:
                entry["pages"].append(record["url"])
            section["checks"][check_id] = section["checks"].get(check_id, 0) + 1
        for check_id in record.get("warned_checks", ()):
            checks.setdefault(check_id, {"failed": 0, "warned": 0, "pages": []})["warned"] += 1
        for check_id in record.get("na_checks", ()):
            not_applicable[check_id] = not_applicable.get(check_id, 0) + 1
        if record.get("title"):
            titles.setdefault(record["title"], []).append(record["url"])
        if record.get("h1"):
            h1s.setdefault(record["h1"], []).append(record["url"])

    ranked = sorted(checks.items(), key=lambda kv: (-kv[1]["failed"], -kv[1]["warned"], kv[0]))
    audited.sort(key=lambda r: (r["score"], r["url"]))
    site = dict(site or {})
    batch_id = batch.get("id") or batch.get("batch_id")
    return {
        "batch_id": batch_id,
        "state": batch["state"],
        "mode": batch["mode"],
        "start": batch["start"],
        "created_at": batch["created_at"],
        "finished_at": batch.get("finished_at"),
        "counts": dict(batch["counts"]),
        "pages_per_second": batch.get("pages_per_second", 0.0),
        "score": {
            "mean": _mean(scores),
            "median": round(statistics.median(scores), 1) if scores else None,
            "histogram": [{"from": 10 * i, "to": 10 * i + 10, "count": n} for i, n in enumerate(histogram)],
            "grades": grades,
        },
        "categories": {name: {"mean": _mean(values), "pages": len(values)} for name, values in categories.items()},
        "checks": [
            {"id": check_id, "category": catalogue.get(check_id, {}).get("category", check_id.split(".")[0]),
             "title": catalogue.get(check_id, {}).get("title", check_id), "failed": e["failed"],
             "warned": e["warned"], "applicable": len(audited) - not_applicable.get(check_id, 0),
             "pages": e["pages"]}
            for check_id, e in ranked
        ],
        "worst_pages": [
            {"url": r["url"], "score": r["score"], "grade": r["grade"], "categories": r.get("categories") or {},
             "failed_checks": r.get("failed_checks") or []}
            for r in audited[:WORST_PAGES]
        ],
        "sections": [
            {"section": name, "pages": s["pages"], "mean_score": _mean(s["scores"]), "failed": s["failed"],
             "top_failed_checks": [{"id": cid, "failed": n} for cid, n in sorted(
                 s["checks"].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SECTION_CHECKS]]}
            for name, s in sorted(sections.items(), key=lambda kv: (-(kv[1]["pages"] + kv[1]["failed"]), kv[0]))
        ],
        "errors": errors,
        "hygiene": hygiene.findings(),
        "audience": audience.summary(),
        "site": {
            "origin": site.get("origin"),
            "robots": site.get("robots"),
            "llms_txt": bool(site.get("llms_txt")),
            "sitemaps": site.get("sitemaps") or [],
            "sitemap_errors": site.get("sitemap_errors") or [],
            "duplicate_titles": _duplicates(titles, "title"),
            "duplicate_h1": _duplicates(h1s, "h1"),
            **access.summary(),
        },
        "exports": {"csv": f"/v1/batches/{batch_id}/export.csv", "jsonl": f"/v1/batches/{batch_id}/export.jsonl"},
    }


def _duplicates(groups: dict[str, list[str]], key: str) -> list[dict[str, Any]]:
    dupes = [(text, sorted(urls)) for text, urls in groups.items() if len(urls) > 1]
    dupes.sort(key=lambda kv: (-len(kv[1]), kv[0]))
    return [{key: text, "urls": urls} for text, urls in dupes]


def summary_for(rt: Any, batch_id: str) -> dict[str, Any] | None:
    """The summary of a stored batch (None when unknown)."""
    from .queries import iter_records, progress
    from .site_history import compare_batches, previous_batch, site_trend

    batch = progress(rt, batch_id)
    if batch is None:
        return None
    meta = rt.batches.meta(batch_id) or {}
    summary = build_summary(batch, iter_records(rt, batch_id), site=meta.get("site"))
    previous = previous_batch(rt, meta) if meta else None
    summary["comparison"] = compare_batches(rt, previous, meta) if previous is not None else None
    summary["trend"] = site_trend(rt, meta) if meta else []
    return summary
