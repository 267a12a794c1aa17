"""Audits for the API: fetch safely (URL audits), look in the cache, compute, store.

Knows Redis (through :class:`service.store.Store`) and the fetcher, not HTTP: errors are
raised as :class:`service.problems.ApiError` carrying their HTTP status.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import scoring
from scoring.audit import REPORT_PARTS
from scoring.page.model import Page
from scoring.rescore import compare_across_rules

from ..api.auth.tenants import Identity
from ..api.metrics import AUDITS, CACHE
from ..api.problems import ApiError, localized_problem
from ..messages import Phrase, catalogue
from ..net.body import FetchResult
from ..net.errors import FetchError
from ..net.fetch import fetch
from ..net.policy import FetchPolicy
from ..net.robots import RobotsCache, site_access
from ..store import CachedAudit, Store, StoreUnavailable
from .budget import BudgetExceeded, time_budget
from .history import History, page_key
from .inputs import looks_like_html, missing_scheme
from .page_access import AccessOptions, extra_access

__all__ = ["AUDIT_TIMEOUT", "AuditInput", "AuditService", "cache_key", "fetch_error_to_api_error", "fetch_info"]

log = logging.getLogger("healthgeo.audit")

# How each fetch error code is answered: (HTTP status, problem slug).  A page that answers 4xx is the
# client's concern (422 naming the status: retrying will not help); 502/504 mean the page's server is
# unreachable or failing.
FETCH_ERROR_STATUS: dict[str, tuple[int, str]] = {
    "bad-url": (422, "bad-url"),
    "bad-scheme": (422, "bad-url"),
    "blocked-address": (422, "blocked-address"),
    "dns-error": (422, "dns-error"),
    "not-html": (422, "not-html"),
    "too-large": (422, "page-too-large"),
    "connect-error": (502, "upstream-error"),
    "tls-error": (502, "upstream-error"),
    "http-error": (502, "upstream-error"),
    "decode-error": (502, "upstream-error"),
    "too-many-redirects": (502, "upstream-error"),
    "redirect-loop": (502, "upstream-error"),
    "timeout": (504, "upstream-timeout"),
}


AUDIT_TIMEOUT = "audit-timeout"  # problem slug and batch page error code of an audit over its time budget


def fetch_error_to_api_error(e: FetchError, url: str | None = None) -> ApiError:
    """The problem of a failed fetch, in the reader's language: what happened, never the fetcher's internals."""
    url = e.url or url or ""
    if e.code == "http-error" and e.status is not None and 400 <= e.status < 500:
        return localized_problem(422, "page-http-error", url=url, page_status=e.status,
                                 extra={"code": e.code, "page_status": e.status, "upstream_status": e.status})
    status, slug = FETCH_ERROR_STATUS.get(e.code, (502, "upstream-error"))
    key = slug
    if slug == "bad-url" and missing_scheme(url):
        key = "bad-url.no-scheme"
    params: dict = {"url": url, "reason": ""}
    if slug in ("bad-url", "upstream-error"):
        reason_key = f"reason.{e.code}"
        params["reason"] = Phrase(reason_key, {"status": e.status}) if reason_key in catalogue("en") else e.code
    errors = None
    if status == 422 and e.code in ("bad-url", "bad-scheme", "blocked-address", "dns-error"):
        errors = [{"location": "body", "field": "url", "message": e.message, "_key": f"page-error.{e.code}"}]
    return localized_problem(status, slug, key=key, errors=errors,
                             extra={"code": e.code, "upstream_status": e.status}, **params)


@dataclass
class AuditInput:
    """What to audit: ``html`` (bytes) with an optional page ``url``, or only a ``url`` to fetch."""

    html: bytes | None = None
    url: str | None = None
    charset: str | None = None
    include: tuple[str, ...] = REPORT_PARTS
    fail_under: float | None = None
    render: bool = False  # URL audits: render in Chromium and compare with the raw HTML
    probe_bots: bool = False  # URL audits: fetch as each AI crawler and as a browser


@dataclass
class AuditOutcome:
    report: dict[str, Any]
    audit_id: str | None
    created: bool  # a new audit was computed (False: served from the cache)
    cache: dict[str, bool] = field(default_factory=dict)
    page: Page | None = None  # the parsed page, when asked for (audit_content(want_page=True))


def fetch_info(result: FetchResult) -> dict[str, Any]:
    """The fetch facts a URL audit reports (and its cache key covers, except the timing)."""
    return {"status": result.status, "final_url": result.final_url, "redirects": result.redirects,
            "x_robots_tag": result.x_robots_tag, "content_type": result.content_type,
            "elapsed_ms": result.elapsed_ms}


def cache_key(html: bytes, url: str | None, include: tuple[str, ...], *, charset: str | None = None,
              context: dict[str, Any] | None = None) -> str:
    """sha256 over the HTML bytes, URL, RULES_VERSION, report parts, charset and fetch context."""
    h = hashlib.sha256()
    for part in (html, (url or "").encode(), scoring.RULES_VERSION.encode(), ",".join(sorted(include)).encode(),
                 (charset or "").encode(), json.dumps(context, sort_keys=True, default=str).encode() if context
                 else b""):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class AuditService:
    def __init__(self, store: Store, policy: FetchPolicy, *, retention: int, cache_ttl: int, robots_ttl: int = 3600,
                 budget: float | None = None,
                 history_retention: int | None = None, history_max: int = 50):
        self.store = store
        self.budget = budget  # seconds one parse and audit may take (None: unbounded)
        self.policy = policy
        self.retention = retention
        self.cache_ttl = cache_ttl
        self.history = History(store, retention=max(history_retention or 0, retention, cache_ttl),
                               max_entries=history_max)
        self.robots_cache = RobotsCache(robots_ttl, redis=_SoftRedis(store) if store.client is not None else None,
                                        prefix=store.prefix)

    # -- fetching

    def load_url(self, url: str) -> tuple[bytes, str, str | None, dict[str, Any], dict[str, Any]]:
        try:
            result = fetch(url, self.policy)
        except FetchError as e:
            raise fetch_error_to_api_error(e, url) from None
        if not result.body.strip() or not looks_like_html(result.body):
            raise localized_problem(422, "not-html", url=result.final_url, extra={"code": "not-html"})
        access = site_access(result.final_url, self.policy, self.robots_cache)
        return result.body, result.final_url, result.charset, fetch_info(result), access

    # -- auditing

    def audit(self, item: AuditInput, *, owner: str | None) -> AuditOutcome:
        source = "html" if item.html is not None else "url"
        fetch_info = access = None
        if item.html is None:
            options = AccessOptions(render=item.render, probe_bots=item.probe_bots)
            if options.unavailable():  # before any fetch: the client asked for what this server cannot do
                raise localized_problem(422, "render-unavailable", extra={"reason": options.unavailable()})
            html, url, charset, fetch_info, access = self.load_url(item.url or "")
            if options.any:
                access = {**access, **extra_access(url, html, self.policy, options, charset=charset,
                                                   content_type=fetch_info.get("content_type"))}
        else:
            html, url, charset = item.html, item.url, item.charset
        return self.audit_content(html, url, charset=charset, fetch_info=fetch_info, access=access,
                                  include=item.include, source=source, owner=owner)

    def audit_content(self, html: bytes, url: str | None, *, owner: str | None, charset: str | None = None,
                      fetch_info: dict[str, Any] | None = None, access: dict[str, Any] | None = None,
                      include: tuple[str, ...] = REPORT_PARTS, source: str = "url",
                      want_page: bool = False) -> AuditOutcome:
        """Audit loaded content through the cache, for the tenant ``owner``.

        The tenant's own audit of identical content is served again (a cache hit).  Another tenant's
        audit of it saves the work but is never shown: this tenant gets a copy under its own id and
        time, answered exactly like a fresh audit, so nothing tells it the content was seen before.
        ``want_page`` also returns the parsed :class:`scoring.page.model.Page` (its links feed a crawl); the
        page is parsed once either way.
        """
        context = None
        if fetch_info is not None:
            context = {"fetch": {k: v for k, v in fetch_info.items() if k != "elapsed_ms"}, "access": access}
        key = cache_key(html, url, include, charset=charset, context=context)

        cache = {"enabled": self.store.available, "hit": False, "stored": False}
        if cache["enabled"]:
            try:
                hit = self.store.cached_audit(key, owner)
            except StoreUnavailable:
                hit = None
                cache["enabled"] = False
            if hit is not None and hit.own and not self._latest_of_its_page(hit, owner):
                # the page changed and came back (A, B, A again): a new audit, compared with B, reusing A's work
                hit = CachedAudit(hit.audit_id, hit.report_json, own=False)
            if hit is not None and hit.own:  # the same audit again: it keeps the comparison it was made with
                report = json.loads(hit.report_json)
                report.setdefault("compared_to", None)
                report.setdefault("changes", None)
                cache.update(hit=True, stored=True)
                CACHE.labels("hit").inc()
                AUDITS.labels(source, "cached").inc()
                page = self._within_budget(source, Page.parse, html, url, charset) if want_page else None
                return AuditOutcome(report, hit.audit_id, False, cache, page)
            if cache["enabled"]:  # reusing another tenant's work counts as a miss: /metrics is public
                CACHE.labels("miss").inc()
        else:
            hit = None
        if not cache["enabled"]:
            CACHE.labels("off").inc()

        started = time.perf_counter()
        page = None
        if hit is not None:  # another tenant's audit of the same content: its work, not its identity
            report = json.loads(hit.report_json)
            for name in ("id", "created_at", "expires_at"):
                report.pop(name, None)
            if fetch_info is not None and isinstance(report.get("facts"), dict) and "fetch" in report["facts"]:
                report["facts"]["fetch"] = fetch_info  # this request's own fetch (its timing)
        if hit is None:
            page, report = self._within_budget(source, _parse_and_audit, html, url, charset, fetch_info, access,
                                               include)
        elif want_page:
            page = self._within_budget(source, Page.parse, html, url, charset)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        now = _now()
        audit_id = "a_" + secrets.token_urlsafe(16)
        report = {"id": audit_id, **report, "source": source, "created_at": _iso(now),
                  "expires_at": _iso(now + timedelta(seconds=self.retention)), "compared_to": None, "changes": None}
        filed_under = page_key(report) if owner is not None and cache["enabled"] else None
        if filed_under is not None:
            self._compare_with_previous(report, owner, filed_under)
        if cache["enabled"]:
            try:
                self.store.save_audit(audit_id, json.dumps(report, ensure_ascii=False), self.retention, owner=owner,
                                      cache_key=key, cache_ttl=self.cache_ttl)
                cache["stored"] = True
                if filed_under is not None:
                    self.history.add_audit(owner, filed_under, report)
            except StoreUnavailable:
                cache["enabled"] = False
        if not cache["stored"]:
            report["id"] = None
            report["expires_at"] = None
            audit_id = None
        AUDITS.labels(source, "computed").inc()
        log.info("audit computed", extra={"event": "audit", "audit_id": audit_id, "source": source,
                                          "score": report.get("score"), "ms": elapsed_ms,
                                          "html_bytes": len(html), "cached": False})
        return AuditOutcome(report, audit_id, True, cache, page if want_page else None)

    def _within_budget(self, source: str, work, *args):
        """``work(*args)`` within the time budget; over it: a 422 ``audit-timeout`` problem."""
        try:
            with time_budget(self.budget):
                return work(*args)
        except BudgetExceeded:
            log.warning("audit over its time budget", extra={"event": "audit_timeout", "budget_s": self.budget,
                                                             "html_bytes": len(args[0])})
            AUDITS.labels(source, "timeout").inc()
            raise localized_problem(422, AUDIT_TIMEOUT, key="audit_timeout", seconds=float(self.budget or 0)) from None

    def _latest_of_its_page(self, hit: CachedAudit, owner: str | None) -> bool:
        """False when the tenant audited the same URL again since ``hit`` (with other content); another URL
        declaring the same canonical page in between does not count."""
        report = json.loads(hit.report_json)
        filed_under = page_key(report) if owner is not None else None
        if filed_under is None:
            return True
        try:
            latest = self.history.previous_audit(owner, filed_under)
        except StoreUnavailable:
            return True
        return latest is None or latest.get("id") == hit.audit_id or latest.get("url") != report.get("url")

    def _compare_with_previous(self, report: dict[str, Any], owner: str, filed_under: str) -> None:
        """Set ``compared_to`` and ``changes`` from the tenant's previous audit of the same page, if any."""
        try:
            previous = self.history.previous_audit(owner, filed_under)
        except StoreUnavailable:
            return
        if previous is None:
            return
        report["compared_to"] = previous.get("id")
        report["changes"] = compare_across_rules(previous, report, old_id=previous.get("id"))
        report["changes"]["compared_at"] = previous.get("created_at")

    def page_history(self, url: str, viewer: Identity) -> tuple[str, list[dict[str, Any]]]:
        """``(page key, entries newest first)`` of ``viewer``'s tenant: id, time, score, grade, rules version,
        score delta and whether the full report can still be read."""
        key, snapshots = self.history.page_audits(viewer.tenant, url)
        return key, [{"id": s.get("id"), "created_at": s.get("created_at"), "score": s.get("score"),
                      "grade": s.get("grade"), "rules_version": s.get("rules_version"), "url": s.get("url"),
                      "compared_to": s.get("compared_to"), "score_delta": s.get("score_delta")} for s in snapshots]

    def get(self, audit_id: str, viewer: Identity) -> dict[str, Any] | None:
        """A stored audit ``viewer`` may see, or None when unknown, expired or another tenant's (the same
        answer: another tenant's audit does not exist for this viewer); raises StoreUnavailable when Redis
        is down."""
        found = self.store.get_audit(audit_id)
        if found is None or not viewer.sees(found[1]):
            return None
        return json.loads(found[0])


def _parse_and_audit(html: bytes, url: str | None, charset: str | None, fetch_info: dict[str, Any] | None,
                     access: dict[str, Any] | None, include: tuple[str, ...]) -> tuple[Page, dict[str, Any]]:
    page = Page.parse(html, url, charset)
    return page, scoring.audit_page(page, fetch=fetch_info, access=access, include=include)


class _SoftRedis:
    """The subset of the Redis client RobotsCache uses, skipping Redis while the store's breaker is open."""

    def __init__(self, store: Store):
        self._store = store

    def get(self, key: str):
        return self._store.call("robots_get", self._store.client.get, key)

    def set(self, key: str, value: str, ex: int | None = None):
        return self._store.call("robots_set", self._store.client.set, key, value, ex=ex)
