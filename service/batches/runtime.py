"""What a batch process needs, built once per process: Redis, the stores, the fetch policy, the host limiter.

The API, the workers and the CLI share it.  ``redis_connection(cfg)`` gives a client that rides out a
short Redis outage (a restart with AOF) by retrying with back-off instead of failing the job.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from ..audits.service import AuditService
from ..config.settings import load_config
from ..net.robots import OurRules, our_rules
from ..store import Store, embedded_redis
from .model import BatchStore

__all__ = ["Runtime", "redis_connection", "redis_url_of", "runtime_for"]

RULES_MEMO_SECONDS = 60.0  # parsed robots.txt kept in the process (the text itself is cached in Redis)
REDIS_RETRIES = 25  # ~20 s of back-off (capped at 1 s) before a Redis error reaches the job


def redis_connection(cfg: dict[str, Any], *, url: str | None = None) -> redis.Redis:
    """A client for ``url`` (default: REDIS_URL, else the embedded server in DATA_DIR) that retries."""
    url = url or cfg.get("REDIS_URL") or redis_url_of(embedded_redis(cfg["DATA_DIR"]))
    timeout = max(float(cfg.get("REDIS_TIMEOUT", 1.0)), 5.0)  # workers may wait for a busy server
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), REDIS_RETRIES),
                                retry_on_error=[redis.ConnectionError, redis.TimeoutError],
                                health_check_interval=30)


def redis_url_of(client: Any) -> str:
    """A URL other processes can use to reach the same server as ``client``."""
    kw = client.connection_pool.connection_kwargs
    db = kw.get("db", 0)
    if kw.get("path"):
        return f"unix://{kw['path']}?db={db}"
    from ..store import limiter_storage_uri

    return str(limiter_storage_uri(client))


class Runtime:
    """One process's view of the batches of one key prefix."""

    def __init__(self, connection: redis.Redis, prefix: str, cfg: dict[str, Any]):
        self.cfg = cfg
        self.redis = connection
        self.prefix = prefix
        self.policy = cfg["FETCH_POLICY"]
        self.batches = BatchStore(connection, prefix)
        self.store = Store(connection, prefix=prefix, mode="url")
        self.audits = AuditService(self.store, self.policy, retention=cfg["RETENTION"], cache_ttl=cfg["CACHE_TTL"],
                                   robots_ttl=cfg["ROBOTS_TTL"], history_retention=cfg.get("HISTORY_RETENTION"),
                                   history_max=cfg.get("HISTORY_MAX", 50), budget=cfg.get("AUDIT_BUDGET"))
        self._limiter = None
        self._rules: dict[str, tuple[float, OurRules]] = {}
        self._lock = threading.Lock()

    def rules(self, origin: str) -> OurRules:
        """robots.txt rules for our agent at ``origin``, parsed at most once a minute per process."""
        now = time.monotonic()
        with self._lock:
            hit = self._rules.get(origin)
        if hit is not None and hit[0] > now:
            return hit[1]
        rules = our_rules(origin, self.policy, self.audits.robots_cache)
        with self._lock:
            if len(self._rules) > 1000:
                self._rules.clear()
            self._rules[origin] = (now + RULES_MEMO_SECONDS, rules)
        return rules

    @property
    def limiter(self):
        """The per-host limiter shared through Redis by every worker (built on first use: the API needs none)."""
        if self._limiter is None:
            from ..net.politeness import HostLimiter

            self._limiter = HostLimiter(self.redis, self.prefix, max_concurrency=self.cfg["BATCH_HOST_CONCURRENCY"],
                                        min_interval=self.cfg["BATCH_HOST_INTERVAL"],
                                        lease_seconds=self.policy.total_timeout + 30)
        return self._limiter

    @property
    def retention(self) -> int:
        return int(self.cfg["RETENTION"])

    def job_timeout(self) -> int:
        if self.cfg["BATCH_JOB_TIMEOUT"]:
            return int(self.cfg["BATCH_JOB_TIMEOUT"])
        budget = float(self.cfg.get("AUDIT_BUDGET") or 0)
        return int(self.cfg["BATCH_PAGES_PER_JOB"] * (self.policy.total_timeout + budget + 15))


_RUNTIMES: dict[tuple[int, str], Runtime] = {}
_RUNTIMES_LOCK = threading.Lock()
_CONFIG: dict[str, Any] = {}


def runtime_for(connection: redis.Redis, prefix: str, cfg: dict[str, Any] | None = None) -> Runtime:
    """The process's :class:`Runtime` for ``prefix`` on ``connection`` (config from the environment)."""
    key = (id(connection), prefix)
    with _RUNTIMES_LOCK:
        rt = _RUNTIMES.get(key)
        if rt is None:
            if cfg is None:
                if not _CONFIG:
                    _CONFIG.update(load_config())
                cfg = _CONFIG
            rt = _RUNTIMES[key] = Runtime(connection, prefix, cfg)
        return rt
