"""Audit one page of a batch: polite fetch (per-host slot, Crawl-delay, back-off), one parse, the record.

The full report is stored like any API audit (``<prefix>:audit:<id>`` through the audit cache, so the
same content audited twice is stored once); the batch keeps a compact *record* per page for progress,
filters, the summary and the CSV export.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..api.problems import ApiError
from ..audits.inputs import looks_like_html
from ..audits.page_access import AccessOptions, access_record, extra_access
from ..audits.service import AUDIT_TIMEOUT, fetch_info
from ..net.errors import FetchError
from ..net.fetch import fetch
from ..net.politeness import HostBusy, retry_after_seconds
from ..net.robots import site_access
from ..net.target import origin_of
from .hygiene_site import page_hygiene
from .runtime import Runtime

__all__ = ["PageResult", "TRANSIENT_CODES", "audit_batch_page", "error_record", "fetch_politely", "fetch_politely_raw",
           "page_record", "section_of", "skip_record"]

# Errors worth another try later (RQ Retry): the network, timeouts, 5xx and 429.  A 4xx is final.
TRANSIENT_CODES = frozenset({"connect-error", "timeout", "tls-error"})
BACK_OFF_STATUSES = frozenset({429, 503})
DEFAULT_BACK_OFF = 30.0
MAX_FAILED_IN_RECORD = 10


@dataclass
class PageResult:
    state: str  # "done" | "failed"
    record: dict[str, Any]
    transient: bool = False  # failed, but a later attempt may succeed
    links: list[str] = field(default_factory=list)  # hrefs of the page (crawl mode)


def section_of(url: str) -> str:
    """The first path segment (``/conditions/``), or ``/`` for pages at the root."""
    path = urlsplit(url).path or "/"
    parts = [p for p in path.split("/") if p]
    if len(parts) <= 1 and not path.endswith("/"):
        return "/"
    return f"/{parts[0]}/" if parts else "/"


def is_transient(error: FetchError) -> bool:
    if error.code in TRANSIENT_CODES:
        return True
    return error.code == "http-error" and error.status is not None and (error.status >= 500 or error.status == 429)


def page_record(url: str, depth: int, report: dict[str, Any], *, audit_id: str | None, fetch: dict[str, Any],
                fail_under: float | None = None) -> dict[str, Any]:
    """The compact record of an audited page (what the summary, filters and CSV read)."""
    checks = sorted(report.get("checks") or [], key=lambda c: -c["weight"])
    facts = report.get("facts") or {}
    record = {
        "url": url, "state": "done", "depth": depth, "section": section_of(url),
        "final_url": fetch.get("final_url"), "status": fetch.get("status"),
        "score": report["score"], "grade": report["grade"],
        "categories": {name: c["score"] for name, c in report["categories"].items()},
        "failed_checks": [c["id"] for c in checks if c["status"] == "fail"],
        "warned_checks": [c["id"] for c in checks if c["status"] == "warn"],
        "na_checks": [c["id"] for c in checks if c["status"] == "not_applicable"],
        "title": facts.get("title") or None,
        "h1": (facts.get("h1") or [None])[0],
        "audit_id": audit_id, "error": None, "elapsed_ms": fetch.get("elapsed_ms"),
        "rules_version": report.get("rules_version"),
        "hygiene": page_hygiene(report),  # canonical and hreflang pairs, judged across the batch's pages
        "audience": (facts.get("audience") or {}).get("audience"),
    }
    record.update(access_record(facts.get("access")))
    if fail_under is not None:
        record["passed"] = report["score"] >= fail_under
    return record


def error_record(url: str, depth: int, code: str, message: str, status: int | None = None) -> dict[str, Any]:
    return {"url": url, "state": "failed", "depth": depth, "section": section_of(url), "final_url": None,
            "status": status, "score": None, "grade": None, "categories": {}, "failed_checks": [],
            "warned_checks": [], "na_checks": [], "title": None, "h1": None, "audit_id": None,
            "error": {"code": code, "status": status, "message": message}, "elapsed_ms": None}


def skip_record(url: str, depth: int) -> dict[str, Any]:
    record = error_record(url, depth, "robots-disallowed", "robots.txt disallows HealthgeoBot here")
    record["state"] = "skipped_robots"
    return record


def fetch_politely(rt: Runtime, url: str, **options: Any):
    """Fetch ``url`` inside the host's slot (concurrency, interval and Crawl-delay shared by every worker).

    ``options`` go to :func:`service.net.fetch.fetch`; 4xx/5xx answers are returned, not raised.  A 429 or
    503 pauses the whole host for its ``Retry-After`` (else :data:`DEFAULT_BACK_OFF` seconds).
    """
    rules = rt.rules(origin_of(url))
    with rt.limiter.slot(url, crawl_delay=rules.crawl_delay, wait_timeout=rt.job_timeout() / 2):
        result = fetch(url, rt.policy, raise_for_status=False, **options)
    if result.status in BACK_OFF_STATUSES:
        seconds = retry_after_seconds(result.headers.get("retry-after"))
        rt.limiter.back_off(url, DEFAULT_BACK_OFF if seconds is None else seconds)
    return result


def fetch_politely_raw(rt: Runtime, url: str, *, accept: str, max_bytes: int) -> tuple[int, bytes, str | None]:
    """``(status, body, content_type)`` of any document (sitemaps): no HTML rule, no error on 4xx/5xx.

    ``max_bytes`` bounds the document both on the wire and decoded (the policy's page limits do not apply).
    """
    result = fetch_politely(rt, url, accept=accept, html_only=False, max_bytes=max_bytes, max_decompressed=max_bytes)
    return result.status, result.body, result.content_type


def audit_batch_page(rt: Runtime, url: str, depth: int, *, owner: str | None, want_links: bool = False,
                     fail_under: float | None = None, access_options: AccessOptions | None = None) -> PageResult:
    """Fetch, audit and store one page for the batch's tenant ``owner``; network and HTTP errors become a failed
    record, never an exception."""
    started = time.perf_counter()
    try:
        result = fetch_politely(rt, url)
    except FetchError as e:
        return PageResult("failed", error_record(url, depth, e.code, e.message, e.status), transient=is_transient(e))
    except HostBusy as e:  # the host's slots stayed taken (other workers, a back-off): try again later
        return PageResult("failed", error_record(url, depth, "host-busy", str(e)), transient=True)
    if result.status >= 400:
        error = FetchError("http-error", f"HTTP {result.status}", url=result.final_url, status=result.status)
        return PageResult("failed", error_record(url, depth, error.code, error.message, error.status),
                          transient=is_transient(error))
    if not result.body.strip() or not looks_like_html(result.body):
        return PageResult("failed", error_record(url, depth, "not-html", "the response is not an HTML document",
                                                 result.status))
    info = fetch_info(result)
    access = site_access(result.final_url, rt.policy, rt.audits.robots_cache)
    if access_options is not None and access_options.any:  # opt-in: rendering, AI crawlers at the door
        access = {**access, **extra_access(result.final_url, result.body, rt.policy, access_options,
                                           charset=result.charset, content_type=result.content_type)}
    try:
        outcome = rt.audits.audit_content(result.body, result.final_url, charset=result.charset, fetch_info=info,
                                          access=access, source="url", want_page=want_links,
                                          owner=owner)
    except ApiError as e:  # over the time budget: a failed page with its reason, not a killed job
        if e.slug != AUDIT_TIMEOUT:
            raise
        return PageResult("failed", error_record(url, depth, AUDIT_TIMEOUT, e.detail or AUDIT_TIMEOUT, result.status))
    if outcome.audit_id is None:  # Redis refused the report: fail the attempt, RQ retries it
        raise ConnectionError("the audit could not be stored (Redis unavailable)")
    record = page_record(url, depth, outcome.report, audit_id=outcome.audit_id, fetch=info, fail_under=fail_under)
    record["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    links = [link.url for link in outcome.page.links] if outcome.page is not None else []
    return PageResult("done", record, links=links)
