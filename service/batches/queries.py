"""Reading batches: progress, stalls, the page records (what the routes, the CLI and the summary read).

Only reads the batch store (and forgets ended batches in the active index): it enqueues nothing, so the
summary and the site history can use it without depending on the jobs that write batches.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from ..api.auth.tenants import Identity
from .model import ACTIVE_STATES
from .runtime import Runtime

__all__ = ["iter_records", "list_pages", "progress", "progress_of", "stalled_since", "stalled_summary",
           "visible_batch"]


def visible_batch(rt: Runtime, batch_id: str, viewer: Identity) -> dict[str, Any] | None:
    """The progress of a batch ``viewer`` may see; None when unknown or another tenant's (the same answer)."""
    meta = rt.batches.meta(batch_id)
    if meta is None or not viewer.sees(meta.get("owner")):
        return None
    return progress_of(rt, meta)


def progress(rt: Runtime, batch_id: str) -> dict[str, Any] | None:
    """State, counts, pages per second and ETA of a batch (None when unknown)."""
    meta = rt.batches.meta(batch_id)
    if meta is None:
        return None
    return progress_of(rt, meta)


def progress_of(rt: Runtime, meta: dict[str, Any]) -> dict[str, Any]:
    running = rt.batches.running(meta["id"]) if meta["state"] in ACTIVE_STATES else 0
    finished = meta["done"] + meta["failed"]
    counts = {"discovered": meta["discovered"], "queued": max(0, meta["enqueued"] - finished - running),
              "running": running, "done": meta["done"], "failed": meta["failed"],
              "skipped_robots": meta["skipped_robots"]}
    end = meta.get("finished_ts") or time.time()
    elapsed = max(end - meta["created_ts"], 1e-6)
    rate = finished / elapsed if finished else 0.0
    remaining = max(0, meta["enqueued"] - finished)
    eta = None
    if meta["state"] in ACTIVE_STATES and rate > 0:
        eta = round(remaining / rate, 1)
    elif meta["state"] not in ACTIVE_STATES:
        eta = 0.0
    stalled = stalled_since(rt, meta["state"], meta["created_ts"], meta.get("progress_ts"))
    out = {
        "id": meta["id"], "state": "stalled" if stalled else meta["state"], "mode": meta["mode"],
        "start": meta["start"], "stalled_since": _iso(stalled) if stalled else None,
        "created_at": meta["created_at"], "finished_at": meta.get("finished_at"), "counts": counts,
        "max_pages": meta.get("max_pages"), "truncated": bool(meta.get("truncated")),
        "pages_per_second": round(rate, 3), "eta_seconds": eta, "error": meta.get("error"),
        "callback_url": meta.get("callback_url"), "webhook": meta.get("webhook"),
        "links": {name: f"/v1/batches/{meta['id']}{path}" for name, path in (
            ("self", ""), ("pages", "/pages"), ("summary", "/summary"), ("csv", "/export.csv"),
            ("jsonl", "/export.jsonl"))},
    }
    return out


def stalled_since(rt: Runtime, state: str | None, created_ts: float, progress_ts: float | None,
                  now: float | None = None) -> float | None:
    """When an active batch last advanced, if that is over ``BATCH_STALL_AFTER`` seconds ago; else None.

    Advancing is a page starting or finishing, or discovery reading on: a batch none of whose pages moved for
    that long has no live worker serving its queue, or workers that cannot do its work.
    """
    if state not in ACTIVE_STATES:
        return None
    last = max(created_ts, progress_ts or 0.0)
    now = time.time() if now is None else now
    return last if now - last > rt.cfg["BATCH_STALL_AFTER"] else None


def stalled_summary(rt: Runtime) -> dict[str, Any]:
    """For ``/readyz``: how many batches are active and stalled, and since when the oldest stalled one is.

    Counts only: readiness is public, and batch ids belong to their tenants.
    """
    now = time.time()
    active, stalled, ended = 0, [], []
    for batch_id, state, created_ts, progress_ts in rt.batches.active_marks():
        if state not in ACTIVE_STATES:
            ended.append(batch_id)  # finished, cancelled or expired since it was indexed
            continue
        active += 1
        since = stalled_since(rt, state, created_ts, progress_ts, now)
        if since is not None:
            stalled.append(since)
    rt.batches.forget_active(*ended)
    return {"ok": not stalled, "active": active, "stalled": len(stalled),
            "stalled_since": _iso(min(stalled)) if stalled else None,
            "stall_after_seconds": rt.cfg["BATCH_STALL_AFTER"]}


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def list_pages(rt: Runtime, batch_id: str, *, cursor: int = 0, limit: int = 100, min_score: float | None = None,
               max_score: float | None = None, failing: str | None = None, state: str | None = None
               ) -> tuple[list[dict[str, Any]], int | None]:
    """Page records from position ``cursor`` that match the filters; returns ``(items, next_cursor)``."""
    items: list[dict[str, Any]] = []
    for pos, record in rt.batches.records(batch_id, cursor):
        if _matches(record, min_score, max_score, failing, state):
            if len(items) == limit:
                return items, pos
            items.append(record)
    return items, None


def _matches(record: dict[str, Any], min_score: float | None, max_score: float | None, failing: str | None,
             state: str | None) -> bool:
    if state is not None and record["state"] != state:
        return False
    if min_score is not None or max_score is not None:
        score = record.get("score")
        if score is None:
            return False
        if min_score is not None and score < min_score:
            return False
        if max_score is not None and score > max_score:
            return False
    return failing is None or failing in record.get("failed_checks", ())


def iter_records(rt: Runtime, batch_id: str) -> Iterator[dict[str, Any]]:
    for _pos, record in rt.batches.records(batch_id):
        yield record
