"""The RQ jobs of a batch: discover, audit pages (a few per job), finalize (webhook).

Jobs take ``(prefix, batch_id, ...)`` and use the worker's own Redis connection, so one worker
serves every deployment sharing its Redis.  Every job may run twice (an RQ retry, or a worker
killed after part of its work was saved): page records are written once (``BatchStore``), admitted
URLs are remembered per admission *token* and jobs get deterministic ids, so a re-run neither counts
nor enqueues anything twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from rq import Callback, Queue, Retry, get_current_job
from rq.job import Job

from ..audits.page_access import AccessOptions, extra_seconds
from ..net.errors import FetchError
from ..net.robots import site_access
from ..net.target import origin_of
from .model import TERMINAL_STATES
from .pages import audit_batch_page, error_record, skip_record
from .runtime import Runtime, runtime_for

__all__ = ["admit", "audit_pages", "discover", "enqueue_discovery", "ensure_finalized", "finalize",
           "on_pages_failed", "run_discovery", "run_finalize", "run_pages"]

log = logging.getLogger("healthgeo.batches")

RESULT_TTL = 600
ADMIT_CHUNK = 1000
SITEMAP_ACCEPT = "application/xml,text/xml,application/gzip,application/x-gzip,text/plain;q=0.8,*/*;q=0.1"


class PagesToRetry(Exception):
    """Some pages of the job failed for a reason that may pass (network, 5xx, 429): RQ retries the job."""


# --------------------------------------------------------------------------- enqueueing


def _queue(rt: Runtime, meta: dict[str, Any]) -> Queue:
    return Queue(meta["queue"], connection=rt.redis)


def _retry(rt: Runtime) -> Retry | None:
    if rt.cfg["BATCH_RETRIES"] < 1:
        return None
    return Retry(max=rt.cfg["BATCH_RETRIES"], interval=rt.cfg["BATCH_RETRY_INTERVALS"])


def _job_id(batch_id: str, token: str, index: int) -> str:
    digest = hashlib.sha1(token.encode("utf-8")).hexdigest()[:16]
    return f"hg-{batch_id}-{digest}-{index}"


def enqueue_pages(rt: Runtime, meta: dict[str, Any], pages: list[tuple[str, int]], token: str) -> int:
    """Put ``pages`` on the batch's queue, ``BATCH_PAGES_PER_JOB`` per job; skips jobs that already exist."""
    size = rt.cfg["BATCH_PAGES_PER_JOB"]
    queue = _queue(rt, meta)
    datas = []
    for index, start in enumerate(range(0, len(pages), size)):
        job_id = _job_id(meta["id"], token, index)
        if Job.exists(job_id, connection=rt.redis):
            continue
        chunk = [[url, depth] for url, depth in pages[start:start + size]]
        datas.append(Queue.prepare_data(
            audit_pages, args=(rt.prefix, meta["id"], chunk), job_id=job_id,
            timeout=int(rt.job_timeout() + len(chunk) * extra_seconds(meta.get("options") or {})),
            result_ttl=RESULT_TTL, failure_ttl=rt.cfg["BATCH_FAILURE_TTL"], retry=_retry(rt),
            on_failure=Callback(on_pages_failed), description=f"batch {meta['id']}: {len(chunk)} page(s)"))
    if datas:
        queue.enqueue_many(datas)
    return len(datas)


def enqueue_discovery(rt: Runtime, meta: dict[str, Any]) -> None:
    _queue(rt, meta).enqueue(
        discover, rt.prefix, meta["id"], job_id=f"hg-{meta['id']}-discover", job_timeout=max(rt.job_timeout(), 900),
        result_ttl=RESULT_TTL, failure_ttl=rt.cfg["BATCH_FAILURE_TTL"], retry=_retry(rt),
        on_failure=Callback(on_discovery_failed), description=f"batch {meta['id']}: discovery")


def ensure_finalized(rt: Runtime, batch_id: str) -> None:
    """Enqueue the finalize job once the batch has ended (also repairs a finalize lost to a crash)."""
    meta = rt.batches.meta(batch_id)
    if meta is None or meta["state"] not in TERMINAL_STATES or meta.get("finalized"):
        return
    job_id = f"hg-{batch_id}-finalize"
    if Job.exists(job_id, connection=rt.redis):
        return
    _queue(rt, meta).enqueue(finalize, rt.prefix, batch_id, job_id=job_id, job_timeout=300, result_ttl=RESULT_TTL,
                             failure_ttl=rt.cfg["BATCH_FAILURE_TTL"], description=f"batch {batch_id}: finalize")


# --------------------------------------------------------------------------- admission


def admit(rt: Runtime, meta: dict[str, Any], urls: Iterable[tuple[str, int]], token: str) -> int:
    """Normalise, de-duplicate, apply robots.txt and max_pages, then enqueue what is new.  Returns pages queued.

    ``token`` names this admission (the parent page, a sitemap chunk): on a re-run the same URLs
    come back from Redis and their jobs are not enqueued twice.
    """
    from ..net.discovery import normalize_url

    entries: list[tuple[str, bool, dict[str, Any] | None]] = []
    depths: dict[str, int] = {}
    for raw, depth in urls:
        url = normalize_url(raw)
        if not url or url in depths:
            continue
        depths[url] = depth
        try:
            rules = rt.rules(origin_of(url))
            # robots.txt unreadable because the fetcher refuses the whole origin (blocked address, no DNS):
            # not the site's answer, so the page job records the fetcher's reason, e.g. blocked-address
            allowed = rules.refused_by is not None or rules.allows(url)
        except FetchError:
            allowed = True  # a URL the fetcher refuses: let the page job record why
        entries.append((url, allowed, None if allowed else skip_record(url, depth)))
    admitted = rt.batches.admit(meta["id"], entries, meta.get("max_pages") or 0, token=token)
    pages = [(url, depths.get(url, 0)) for url in admitted]
    enqueue_pages(rt, meta, pages, token)
    return len(pages)


# --------------------------------------------------------------------------- discovery


def _sitemap_getter(rt: Runtime, batch_id: str):
    def get(url: str) -> tuple[int, bytes, str | None]:
        from ..net.discovery import MAX_SITEMAP_BYTES
        from .pages import fetch_politely_raw

        rt.batches.touch(batch_id)  # each sitemap read is progress: a long discovery is not a stall
        return fetch_politely_raw(rt, url, accept=SITEMAP_ACCEPT, max_bytes=MAX_SITEMAP_BYTES)

    return get


def _site_facts(rt: Runtime, start: str) -> dict[str, Any]:
    access = site_access(start, rt.policy, rt.audits.robots_cache)
    return {"origin": access.get("origin"), "robots": access.get("robots"), "llms_txt": bool(access.get("llms_txt")),
            "robots_error": access.get("error"), "sitemaps": [], "sitemap_errors": []}


def run_discovery(rt: Runtime, batch_id: str) -> dict[str, Any]:
    """Find the batch's pages (sitemaps, the start URL of a crawl, or the given list) and queue them."""
    from ..net.discovery import read_sitemaps

    meta = rt.batches.meta(batch_id)
    if meta is None or meta["state"] in TERMINAL_STATES:
        return {"skipped": True}
    rt.batches.transition(batch_id, "discovering", "queued")
    rt.batches.touch(batch_id)
    options = meta.get("options") or {}
    site = _site_facts(rt, meta["start"])
    queued = 0
    if meta["mode"] == "urls":
        urls = options.get("urls") or []
        for i in range(0, len(urls), ADMIT_CHUNK):
            queued += admit(rt, meta, [(u, 0) for u in urls[i:i + ADMIT_CHUNK]], token=f"urls-{i}")
    elif meta["mode"] == "crawl":
        queued += admit(rt, meta, [(meta["start"], 0)], token="start")
    else:
        scope = _scope(meta)
        urls, extra = _sitemaps_to_read(rt, meta["start"])
        found = read_sitemaps(urls, _sitemap_getter(rt, batch_id),
                              limit=meta.get("max_pages") or rt.cfg["BATCH_MAX_PAGES"], scope=scope, **extra)
        site["sitemaps"], site["sitemap_errors"] = found.sitemaps, found.errors
        urls = [page.url for page in found.pages]
        for i in range(0, len(urls), ADMIT_CHUNK):
            queued += admit(rt, meta, [(u, 0) for u in urls[i:i + ADMIT_CHUNK]], token=f"sitemap-{i}")
        if not urls:
            rt.batches.update(batch_id, error={"code": "no-pages", "message": "no page found in the sitemaps"})
    rt.batches.update(batch_id, site=site, discovery_done=1)
    rt.batches.transition(batch_id, "running", "discovering", "queued")
    rt.batches.complete_if_drained(batch_id)
    ensure_finalized(rt, batch_id)
    return {"queued": queued}


def _scope(meta: dict[str, Any]):
    from ..net.discovery import Scope

    options = meta.get("options") or {}
    return Scope(meta["start"], options.get("include") or [], options.get("exclude") or [], options.get("max_depth"))


def _sitemaps_to_read(rt: Runtime, start: str) -> tuple[list[str], dict[str, Any]]:
    """``sitemap_url`` itself when it names a sitemap; else robots.txt's Sitemap: lines or the usual paths."""
    from ..net.discovery import FALLBACK_SITEMAP_PATHS, sitemap_candidates

    path = urlsplit(start).path.lower()
    if "sitemap" in path or path.endswith((".xml", ".xml.gz", ".txt")):
        return [start], {}
    candidates = sitemap_candidates(start, rt.rules(origin_of(start)).sitemaps)
    return candidates, {"missing_ok": [urljoin(start, p) for p in FALLBACK_SITEMAP_PATHS]}


# --------------------------------------------------------------------------- pages


def run_pages(rt: Runtime, batch_id: str, pages: list[list[Any]], *, last_attempt: bool = True) -> dict[str, int]:
    """Audit ``pages`` (``[url, depth]`` pairs) not yet recorded; returns counts for the job result.

    Transient failures (network, 5xx, 429) are left unrecorded and raise :class:`PagesToRetry` so RQ
    retries the job later, unless this is the ``last_attempt``: then they are recorded as failed.
    """
    meta = rt.batches.meta(batch_id)
    if meta is None or meta["state"] in TERMINAL_STATES:
        return {"audited": 0, "skipped": len(pages)}
    options = meta.get("options") or {}
    crawl = meta["mode"] == "crawl"
    max_depth = options.get("max_depth")
    audited = 0
    retry_later: list[str] = []
    for url, depth in pages:
        if rt.batches.state(batch_id) == "cancelled":
            break
        if rt.batches.has_record(batch_id, url):
            continue  # done by an earlier attempt of this job
        rt.batches.page_started(batch_id, url)
        want_links = crawl and (max_depth is None or depth < max_depth)
        result = audit_batch_page(rt, url, depth, owner=meta.get("owner"), want_links=want_links,
                                  fail_under=options.get("fail_under"),
                                  access_options=AccessOptions(render=bool(options.get("render")),
                                                               probe_bots=bool(options.get("probe_bots"))))
        if result.transient and not last_attempt:
            rt.batches.page_stopped(batch_id, url)
            retry_later.append(url)
            continue
        if result.links:
            _follow_links(rt, meta, url, depth, result.links)
        rt.batches.finish_page(batch_id, url, result.state, result.record)
        audited += 1
    ensure_finalized(rt, batch_id)
    if retry_later:
        raise PagesToRetry(f"{len(retry_later)} page(s) to retry: {', '.join(retry_later[:5])}")
    return {"audited": audited, "skipped": len(pages) - audited}


def _follow_links(rt: Runtime, meta: dict[str, Any], url: str, depth: int, hrefs: list[str]) -> None:
    from ..net.discovery import links_to_follow

    links = links_to_follow(hrefs, url, _scope(meta), depth)
    admit(rt, meta, [(link, depth + 1) for link in links], token=f"links:{url}")


def on_pages_failed(job: Job, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    """RQ failure callback: a job out of retries (or abandoned with none left) records its pages as failed.

    Without this a batch would wait forever for pages nobody will audit.
    """
    if job.retries_left:
        return  # RQ retries it
    prefix, batch_id, pages = job.args
    rt = runtime_for(connection, prefix)
    message = f"job failed: {exc_type.__name__ if exc_type else 'abandoned'}: {exc_value}"
    for url, depth in pages:
        if not rt.batches.has_record(batch_id, url):
            rt.batches.finish_page(batch_id, url, "failed", error_record(url, depth, "job-failed", message))
    ensure_finalized(rt, batch_id)


def on_discovery_failed(job: Job, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    if job.retries_left:
        return
    prefix, batch_id = job.args
    rt = runtime_for(connection, prefix)
    rt.batches.update(batch_id, error={"code": "discovery-failed", "message": f"{exc_type.__name__}: {exc_value}"},
                      finished_at=_iso())
    rt.batches.transition(batch_id, "failed", "queued", "discovering", "running")
    ensure_finalized(rt, batch_id)


def _iso() -> str:
    from .model import iso_now

    return iso_now()


# --------------------------------------------------------------------------- finalize


def run_finalize(rt: Runtime, batch_id: str) -> dict[str, Any]:
    """Keep the results for the retention period and POST the summary to the callback URL (once)."""
    from .summary import summary_for

    meta = rt.batches.meta(batch_id)
    if meta is None or meta["state"] not in TERMINAL_STATES:
        return {"skipped": True}
    rt.batches.keep_for(batch_id, rt.retention)
    rt.batches.forget_active(batch_id)
    outcome: dict[str, Any] = {"delivered": None}
    summary = None
    if meta["state"] == "done" and rt.batches.claim(batch_id, "site_history_filed"):
        from .site_history import file_batch

        summary = summary_for(rt, batch_id)
        file_batch(rt, meta, summary)
    if meta.get("callback_url") and rt.batches.claim(batch_id, "webhook_claimed"):
        from .webhook import deliver

        summary = summary or summary_for(rt, batch_id)
        secret = meta.get("callback_secret") or rt.cfg.get("WEBHOOK_SECRET")
        outcome = deliver(meta["callback_url"], summary, secret=secret, policy=rt.policy,
                          attempts=rt.cfg["WEBHOOK_ATTEMPTS"], backoff=rt.cfg["WEBHOOK_BACKOFF"])
        rt.batches.update(batch_id, webhook=outcome)
    rt.batches.update(batch_id, finalized=1)
    return outcome


# --------------------------------------------------------------------------- RQ entry points


def _runtime(prefix: str) -> Runtime:
    job = get_current_job()
    if job is None:
        raise RuntimeError("batch jobs run inside an RQ worker")
    return runtime_for(job.connection, prefix)


def discover(prefix: str, batch_id: str) -> dict[str, Any]:
    return run_discovery(_runtime(prefix), batch_id)


def audit_pages(prefix: str, batch_id: str, pages: list[list[Any]]) -> dict[str, int]:
    job = get_current_job()
    return run_pages(_runtime(prefix), batch_id, pages, last_attempt=not (job and job.retries_left))


def finalize(prefix: str, batch_id: str) -> dict[str, Any]:
    return run_finalize(_runtime(prefix), batch_id)

