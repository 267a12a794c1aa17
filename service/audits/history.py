"""Page and site history per tenant, in Redis: what each new audit is compared with, and the trends.

Keys (``<p>`` the key prefix, ``<t>`` the tenant, ``<h>`` sha256 of the page URL or site origin, 32 hex):

* ``<p>:history:<t>:<h>`` -- sorted set of audit ids by time (seconds, microsecond precision);
* ``<p>:history:<t>:<h>:entries`` -- hash audit id -> snapshot JSON (what a later comparison needs:
  score, grade, categories, check statuses, facts, the fix's proposals, rules version, time);
* ``<p>:history-alias:<t>:<h>`` -- the page key (canonical URL) an audited URL was filed under;
* ``<p>:site-history:<t>:<h>`` / ``...:entries`` -- the same for a site's completed batches (mean score,
  pages, times).

Each page and site keeps its last ``HEALTHGEO_HISTORY_MAX`` entries (older ones are trimmed in the same
Lua script that adds one) and expires ``HEALTHGEO_HISTORY_RETENTION`` after its last audit, which is longer
than the audit cache and the stored reports, so a monthly audit still finds last month's. Redis persists
them like everything else (append-only file): history survives a restart.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from ..store import Store, as_text

__all__ = ["History", "page_key", "snapshot"]

# KEYS: zset, hash.  ARGV: id, time, snapshot, max entries, ttl.  Adds one entry, trims the oldest beyond max.
_ADD = """
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if extra > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, extra - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1)
  redis.call('HDEL', KEYS[2], unpack(old))
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
"""

_CHECK_FIELDS = ("id", "category", "weight", "title", "status", "message_key")


def page_key(report: dict[str, Any]) -> str | None:
    """The page an audit is filed under: its canonical URL, else its final URL (None for HTML without a URL)."""
    facts = report.get("facts") or {}
    key = facts.get("canonical") or report.get("url")
    return key.split("#", 1)[0] if isinstance(key, str) and key else None


def snapshot(report: dict[str, Any]) -> dict[str, Any]:
    """What a later comparison reads of ``report`` (its full text may have expired by then)."""
    fix = report.get("fix")
    out = {name: report.get(name) for name in ("id", "url", "score", "grade", "rules_version", "created_at",
                                               "categories", "facts", "compared_to")}
    out["checks"] = [{k: c.get(k) for k in _CHECK_FIELDS} for c in report.get("checks") or ()]
    if isinstance(fix, dict):
        out["fix"] = {"changes": [{"action": c.get("action"), "property": c.get("property")}
                                  for c in fix.get("changes") or ()]}
    changes = report.get("changes")
    out["score_delta"] = (changes or {}).get("score", {}).get("delta") if isinstance(changes, dict) else None
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class History:
    """Page and site history on the store's Redis; every call may raise :class:`service.store.StoreUnavailable`."""

    def __init__(self, store: Store, *, retention: int, max_entries: int):
        self.store = store
        self.retention = retention
        self.max_entries = max_entries
        self._add = store.client.register_script(_ADD) if store.client is not None else None

    def _keys(self, kind: str, owner: str, ident: str) -> tuple[str, str]:
        base = self.store.key(kind, f"{owner}:{_digest(ident)}")
        return base, base + ":entries"

    def _record(self, kind: str, owner: str, ident: str, entry_id: str, when: float, entry: dict[str, Any]) -> None:
        keys = list(self._keys(kind, owner, ident))
        args = [entry_id, f"{when:.6f}", json.dumps(entry, ensure_ascii=False), self.max_entries, self.retention]
        self.store.call(f"{kind}_add", self._add, keys=keys, args=args)

    def _latest(self, kind: str, owner: str, ident: str, count: int, before: float | None = None
                ) -> list[dict[str, Any]]:
        zset, entries = self._keys(kind, owner, ident)
        client = self.store.client
        top = f"({before:.6f}" if before is not None else "+inf"
        ids = self.store.call(f"{kind}_list", client.zrevrangebyscore, zset, top, "-inf", start=0, num=count)
        if not ids:
            return []
        raws = self.store.call(f"{kind}_read", client.hmget, entries, ids)
        return [json.loads(as_text(raw)) for raw in raws if raw is not None]

    # -- pages

    def previous_audit(self, owner: str, key: str) -> dict[str, Any] | None:
        """The snapshot of the tenant's latest audit of the page ``key`` (None: never audited, or expired)."""
        found = self._latest("history", owner, key, 1)
        return found[0] if found else None

    def add_audit(self, owner: str, key: str, report: dict[str, Any]) -> None:
        """File ``report`` (already stored under its id) in the page's history; its URL, when it is not the
        page key, points to that key so a lookup by either finds the page."""
        self._record("history", owner, key, report["id"], time.time(), snapshot(report))
        url = report.get("url")
        if url and url != key:
            self.store.call("history_alias", self.store.client.set, self._alias(owner, url), key,
                            ex=self.retention)

    def _alias(self, owner: str, url: str) -> str:
        return self.store.key("history-alias", f"{owner}:{_digest(url)}")

    def page_audits(self, owner: str, url: str) -> tuple[str, list[dict[str, Any]]]:
        """``(page key, snapshots newest first)`` of the tenant's audits of ``url`` (or of the page it is filed
        under); only this tenant's keys are ever read."""
        found = self._latest("history", owner, url, self.max_entries)
        if found:
            return url, found
        alias = as_text(self.store.call("history_alias_get", self.store.client.get, self._alias(owner, url)))
        if alias:
            return alias, self._latest("history", owner, alias, self.max_entries)
        return url, []

    # -- sites

    def add_batch(self, owner: str, origin: str, entry: dict[str, Any], when: float) -> None:
        self._record("site-history", owner, origin, entry["id"], when, entry)

    def site_batches(self, owner: str, origin: str, *, before: float | None = None) -> list[dict[str, Any]]:
        """The tenant's completed batches of the site, newest first (only those that ended before ``before``)."""
        return self._latest("site-history", owner, origin, self.max_entries, before)
