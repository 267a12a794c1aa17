"""Creating, reading and cancelling batches (what the API routes and the CLI call).

Knows Redis and RQ, not HTTP: unknown batches return None, the routes turn that into a 404.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..render import render_unavailable
from ..tenants import LOCAL_TENANT, Identity
from .jobs import enqueue_discovery, ensure_finalized
from .model import ACTIVE_STATES, iso_now
from .runtime import Runtime

__all__ = ["BatchRequestError", "UndeliverableCallback", "cancel_batch", "create_batch", "list_pages", "progress",
           "stalled_since", "stalled_summary", "visible_batch"]


class BatchRequestError(ValueError):
    """A request the schema accepted but that cannot run (e.g. an include pattern that is not a regex)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class RenderUnavailable(BatchRequestError):
    """``render`` asked of a server without Chromium or playwright."""


class UndeliverableCallback(BatchRequestError):
    """A ``callback_url`` no delivery could ever reach: ``code`` is the fetcher's (bad-url, blocked-address...)."""

    CODES = frozenset({"bad-url", "bad-scheme", "blocked-address", "dns-error"})

    def __init__(self, code: str, message: str, host: str | None):
        super().__init__("callback_url", f"can never be delivered: {message}")
        self.code = "bad-url" if code == "bad-scheme" else code
        self.host = host


def create_batch(rt: Runtime, request: dict[str, Any], *, owner: str = LOCAL_TENANT, queue: str | None = None
                 ) -> dict[str, Any]:
    """Store a batch of the tenant ``owner`` (the API key's; the command line's is the local tenant) from a
    validated request and enqueue its discovery; returns its progress.

    ``request``: one of ``sitemap_url``, ``start_url`` (with ``max_pages``, ``max_depth``,
    ``include``, ``exclude``) or ``urls``; plus ``callback_url``, ``callback_secret``, ``fail_under``.
    A ``callback_url`` that can never be delivered raises :class:`UndeliverableCallback`.
    """
    if request.get("urls"):
        mode, start = "urls", request["urls"][0]
    elif request.get("start_url"):
        mode, start = "crawl", request["start_url"]
    else:
        mode, start = "sitemap", request["sitemap_url"]
    _check_patterns(request, start)
    if request.get("callback_url") and not (request.get("callback_secret") or rt.cfg.get("WEBHOOK_SECRET")):
        raise BatchRequestError("callback_secret", "a callback_url needs a callback_secret (this server has no "
                                "HEALTHGEO_WEBHOOK_SECRET) to sign the deliveries")
    if request.get("callback_url"):
        _check_callback(rt, request["callback_url"])
    if request.get("render") and (reason := render_unavailable()):
        raise RenderUnavailable("render", reason)
    batch_id = "b_" + secrets.token_urlsafe(12)
    options = {k: request[k] for k in ("include", "exclude", "max_depth", "fail_under") if request.get(k) is not None}
    options.update({k: True for k in ("render", "probe_bots") if request.get(k)})
    if mode == "urls":
        options["urls"] = list(dict.fromkeys(request["urls"]))
    cap = rt.cfg["BATCH_MAX_PAGES"]
    max_pages = min(int(request.get("max_pages") or cap), cap)
    if mode == "crawl" and options.get("max_depth") is None:
        options["max_depth"] = 5
    meta = {
        "id": batch_id, "owner": owner, "state": "queued", "mode": mode, "start": start,
        "queue": queue or rt.cfg["BATCH_QUEUE"],
        "options": options, "max_pages": max_pages, "created_at": iso_now(), "created_ts": time.time(),
        "callback_url": request.get("callback_url"), "callback_secret": request.get("callback_secret"),
        "discovered": 0, "enqueued": 0, "done": 0, "failed": 0, "skipped_robots": 0, "finished": 0,
    }
    rt.batches.create(batch_id, meta, rt.retention)
    enqueue_discovery(rt, meta)
    return progress(rt, batch_id) or {}


def _check_callback(rt: Runtime, url: str) -> None:
    from ..fetch import FetchError, check_destination

    try:
        check_destination(url, rt.policy)
    except FetchError as e:
        if e.code in UndeliverableCallback.CODES:
            raise UndeliverableCallback(e.code, e.message, urlsplit(url).hostname) from None
        # a timeout of the DNS lookup may pass: the delivery will say what happened


def _check_patterns(request: dict[str, Any], start: str) -> None:
    from ..discovery import Scope

    for name in ("include", "exclude"):
        try:
            Scope(start, **{name: request.get(name) or []})
        except ValueError as e:
            raise BatchRequestError(name, str(e)) from None


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


def cancel_batch(rt: Runtime, batch_id: str) -> dict[str, Any] | None:
    """Stop a batch: queued jobs find it cancelled and do nothing; a job in progress stops after its page."""
    meta = rt.batches.meta(batch_id)
    if meta is None:
        return None
    if rt.batches.transition(batch_id, "cancelled", *ACTIVE_STATES):
        rt.batches.update(batch_id, finished_at=iso_now(), finished_ts=time.time())
        ensure_finalized(rt, batch_id)
    return progress(rt, batch_id)


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
