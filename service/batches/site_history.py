"""A site over time: each completed batch is filed under its site (origin) and tenant, compared with the one
before it, and the series of mean scores makes the trend of the site report.

Records are compared, not full reports: a page record keeps the score and the failed checks, which is what
a site comparison reads (``scoring.compare.compare_sites``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scoring.compare import compare_sites

from ..net.target import origin_of
from ..store import StoreUnavailable
from .runtime import Runtime

__all__ = ["compare_batches", "file_batch", "previous_batch", "records_as_reports", "site_trend"]


def records_as_reports(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audited pages of a batch in the shape ``compare_sites`` reads (url, score, checks, rules_version)."""
    return [{"url": r["url"], "score": r["score"], "grade": r.get("grade"), "rules_version": r.get("rules_version"),
             "checks": [{"id": cid, "status": "fail"} for cid in r.get("failed_checks") or ()]
             + [{"id": cid, "status": "warn"} for cid in r.get("warned_checks") or ()]}
            for r in records if r.get("state") == "done" and r.get("score") is not None]


def _site(meta: dict[str, Any]) -> str:
    return origin_of(meta["start"])


def compare_batches(rt: Runtime, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """How the batch ``new`` (its meta) differs from the batch ``old``: pages new, gone, improved, regressed,
    failing-check counts, histograms."""
    from .queries import iter_records

    comparison = compare_sites(records_as_reports(iter_records(rt, old["id"])),
                               records_as_reports(iter_records(rt, new["id"])))
    return {"batch_id": new["id"], "compared_to": old["id"], "compared_at": old.get("created_at"), **comparison}


def file_batch(rt: Runtime, meta: dict[str, Any], summary: dict[str, Any]) -> None:
    """File a completed batch in its site's history (once: the finalize job claims it)."""
    if meta.get("state") != "done" or not meta.get("owner"):
        return
    score = summary.get("score") or {}
    entry = {"id": meta["id"], "created_at": meta.get("created_at"), "finished_at": meta.get("finished_at"),
             "mean": score.get("mean"), "median": score.get("median"),
             "pages": (summary.get("counts") or {}).get("done")}
    rt.audits.history.add_batch(meta["owner"], _site(meta), entry, float(meta.get("created_ts") or 0))


def _batches(rt: Runtime, meta: dict[str, Any], before: float | None = None) -> list[dict[str, Any]]:
    if not meta.get("owner"):
        return []
    try:
        return rt.audits.history.site_batches(meta["owner"], _site(meta), before=before)
    except StoreUnavailable:
        return []


def previous_batch(rt: Runtime, meta: dict[str, Any]) -> dict[str, Any] | None:
    """The meta of the tenant's last completed batch of the same site started before this one, while its page
    records are kept (they expire with the retention; the trend lasts longer)."""
    for entry in _batches(rt, meta, before=float(meta.get("created_ts") or 0)):
        older = rt.batches.meta(entry["id"])
        if older is not None and older.get("owner") == meta["owner"] and older["state"] == "done":
            return older
    return None


def site_trend(rt: Runtime, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The tenant's completed batches of the site up to this one, oldest first (the site report's line)."""
    return list(reversed(_batches(rt, meta, before=float(meta.get("created_ts") or 0) + 1e-3)))
