"""Creating and cancelling batches (what the API routes and the CLI call); reading them is ``queries``.

Knows Redis and RQ, not HTTP: unknown batches return None, the routes turn that into a 404.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from ..api.auth.tenants import LOCAL_TENANT
from ..net.render import render_unavailable
from .jobs import enqueue_discovery, ensure_finalized
from .model import ACTIVE_STATES, iso_now
from .queries import progress
from .runtime import Runtime

__all__ = ["BatchRequestError", "UndeliverableCallback", "cancel_batch", "create_batch"]


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
    from ..net.errors import FetchError
    from ..net.resolution import check_destination

    try:
        check_destination(url, rt.policy)
    except FetchError as e:
        if e.code in UndeliverableCallback.CODES:
            raise UndeliverableCallback(e.code, e.message, urlsplit(url).hostname) from None
        # a timeout of the DNS lookup may pass: the delivery will say what happened


def _check_patterns(request: dict[str, Any], start: str) -> None:
    from ..net.discovery import Scope

    for name in ("include", "exclude"):
        try:
            Scope(start, **{name: request.get(name) or []})
        except ValueError as e:
            raise BatchRequestError(name, str(e)) from None


def cancel_batch(rt: Runtime, batch_id: str) -> dict[str, Any] | None:
    """Stop a batch: queued jobs find it cancelled and do nothing; a job in progress stops after its page."""
    meta = rt.batches.meta(batch_id)
    if meta is None:
        return None
    if rt.batches.transition(batch_id, "cancelled", *ACTIVE_STATES):
        rt.batches.update(batch_id, finished_at=iso_now(), finished_ts=time.time())
        ensure_finalized(rt, batch_id)
    return progress(rt, batch_id)
