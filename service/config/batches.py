"""Batch settings: defaults, environment variables, validation (merged by service.config.settings.load_config).

Every value is documented in docs/configuration.md ("Batches").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["BATCH_DEFAULTS", "BATCH_ENV", "finish_batch_settings"]

BATCH_DEFAULTS: dict[str, Any] = {
    "BATCH_QUEUE": "healthgeo-batches",  # the RQ queue every batch job goes to
    "BATCH_PAGES_PER_JOB": 10,  # pages audited by one RQ job (amortises the per-job overhead)
    "BATCH_JOB_TIMEOUT": None,  # None: pages_per_job x (fetch timeout + 15 s)
    "BATCH_RETRIES": 3,  # RQ retries of a job with network errors / 5xx / 429 (and of an abandoned job)
    "BATCH_RETRY_INTERVALS": "5,30,120",  # seconds before each retry
    "BATCH_MAX_PAGES": 500_000,  # ceiling of max_pages a request may ask for
    "BATCH_HOST_CONCURRENCY": 2,  # requests in flight per host, across every worker
    "BATCH_HOST_INTERVAL": 0.0,  # seconds between two requests to one host (Crawl-delay wins when larger)
    "BATCH_FAILURE_TTL": 7 * 24 * 3600,  # how long RQ keeps a failed job for inspection
    # an active batch where no page started or finished this long is reported "stalled" (status and /readyz);
    # longer than the quiet spells of a healthy batch: a retry interval (120 s), a page's fetch and audit
    "BATCH_STALL_AFTER": 300,
    "WORKER_HEARTBEAT": 10,  # seconds between a busy worker's heartbeats
    "WORKER_ABANDON_AFTER": 30,  # a job whose worker is silent this long past a heartbeat is re-queued
    "WORKER_MAINTENANCE": 15,  # seconds between RQ registry clean-ups (when abandoned jobs are found)
    "WORKER_TTL": 60,  # worker registration TTL; an idle worker wakes every WORKER_TTL - 15 s
    "WEBHOOK_SECRET": None,  # HMAC key of webhook signatures when the batch gives no callback_secret
    "WEBHOOK_ATTEMPTS": 5,
    "WEBHOOK_BACKOFF": 2.0,
    # `healthgeo worker` processes the API server starts itself; None: 2 on the embedded Redis (a single
    # machine), 0 with REDIS_URL (workers run as their own services)
    "LOCAL_WORKERS": None,
}

BATCH_ENV: dict[str, str] = {
    "BATCH_QUEUE": "HEALTHGEO_BATCH_QUEUE",
    "BATCH_PAGES_PER_JOB": "HEALTHGEO_BATCH_PAGES_PER_JOB",
    "BATCH_JOB_TIMEOUT": "HEALTHGEO_BATCH_JOB_TIMEOUT",
    "BATCH_RETRIES": "HEALTHGEO_BATCH_RETRIES",
    "BATCH_RETRY_INTERVALS": "HEALTHGEO_BATCH_RETRY_INTERVALS",
    "BATCH_MAX_PAGES": "HEALTHGEO_BATCH_MAX_PAGES",
    "BATCH_HOST_CONCURRENCY": "HEALTHGEO_BATCH_HOST_CONCURRENCY",
    "BATCH_HOST_INTERVAL": "HEALTHGEO_BATCH_HOST_INTERVAL",
    "BATCH_FAILURE_TTL": "HEALTHGEO_BATCH_FAILURE_TTL",
    "BATCH_STALL_AFTER": "HEALTHGEO_BATCH_STALL_AFTER",
    "WORKER_HEARTBEAT": "HEALTHGEO_WORKER_HEARTBEAT",
    "WORKER_ABANDON_AFTER": "HEALTHGEO_WORKER_ABANDON_AFTER",
    "WORKER_MAINTENANCE": "HEALTHGEO_WORKER_MAINTENANCE",
    "WORKER_TTL": "HEALTHGEO_WORKER_TTL",
    "WEBHOOK_SECRET": "HEALTHGEO_WEBHOOK_SECRET",
    "WEBHOOK_ATTEMPTS": "HEALTHGEO_WEBHOOK_ATTEMPTS",
    "WEBHOOK_BACKOFF": "HEALTHGEO_WEBHOOK_BACKOFF",
    "LOCAL_WORKERS": "HEALTHGEO_LOCAL_WORKERS",
}

_INTS = ("BATCH_PAGES_PER_JOB", "BATCH_RETRIES", "BATCH_MAX_PAGES", "BATCH_HOST_CONCURRENCY", "WORKER_HEARTBEAT",
         "WORKER_ABANDON_AFTER", "WORKER_MAINTENANCE", "WORKER_TTL", "WEBHOOK_ATTEMPTS", "BATCH_FAILURE_TTL",
         "BATCH_STALL_AFTER")
_FLOATS = ("BATCH_HOST_INTERVAL", "WEBHOOK_BACKOFF")
_MINIMUM = {"BATCH_PAGES_PER_JOB": 1, "BATCH_RETRIES": 0, "BATCH_MAX_PAGES": 1, "BATCH_HOST_CONCURRENCY": 1,
            "WORKER_HEARTBEAT": 1, "WORKER_ABANDON_AFTER": 1, "WORKER_MAINTENANCE": 1, "WORKER_TTL": 16,
            "WEBHOOK_ATTEMPTS": 1, "BATCH_FAILURE_TTL": 1, "BATCH_STALL_AFTER": 1}


def _error(message: str) -> Exception:
    from service.config.errors import ConfigError

    return ConfigError(message)


def finish_batch_settings(cfg: dict[str, Any], env: Mapping[str, str]) -> None:
    """Read the ``HEALTHGEO_BATCH_*``/``WORKER_*``/``WEBHOOK_*`` variables into ``cfg`` and check them."""
    for key, default in BATCH_DEFAULTS.items():
        cfg.setdefault(key, default)
    for name in _INTS:
        try:
            cfg[name] = int(cfg[name])
        except (TypeError, ValueError):
            raise _error(f"{BATCH_ENV[name]}={cfg[name]!r} is not a whole number") from None
        if cfg[name] < _MINIMUM[name]:
            raise _error(f"{BATCH_ENV[name]} must be >= {_MINIMUM[name]}")
    for name in _FLOATS:
        try:
            cfg[name] = float(cfg[name])
        except (TypeError, ValueError):
            raise _error(f"{BATCH_ENV[name]}={cfg[name]!r} is not a number") from None
        if cfg[name] < 0:
            raise _error(f"{BATCH_ENV[name]} must be >= 0")
    if cfg["LOCAL_WORKERS"] is None:
        cfg["LOCAL_WORKERS"] = 0 if cfg.get("REDIS_URL") else 2
    try:
        cfg["LOCAL_WORKERS"] = int(cfg["LOCAL_WORKERS"])
    except (TypeError, ValueError):
        raise _error(f"HEALTHGEO_LOCAL_WORKERS={cfg['LOCAL_WORKERS']!r} is not a whole number") from None
    if not 0 <= cfg["LOCAL_WORKERS"] <= 64:
        raise _error("HEALTHGEO_LOCAL_WORKERS must be between 0 and 64")
    raw = cfg["BATCH_RETRY_INTERVALS"]
    if isinstance(raw, str):
        if not re.fullmatch(r"\s*\d+(\s*,\s*\d+)*\s*", raw):
            raise _error(f"HEALTHGEO_BATCH_RETRY_INTERVALS={raw!r}: give whole seconds separated by commas, "
                         "e.g. 5,30,120")
        raw = [int(x) for x in raw.split(",")]
    cfg["BATCH_RETRY_INTERVALS"] = [int(x) for x in raw]
    if cfg["BATCH_JOB_TIMEOUT"] is not None:
        try:
            cfg["BATCH_JOB_TIMEOUT"] = int(cfg["BATCH_JOB_TIMEOUT"])
        except (TypeError, ValueError):
            raise _error(f"HEALTHGEO_BATCH_JOB_TIMEOUT={cfg['BATCH_JOB_TIMEOUT']!r} is not a whole number") from None
        if cfg["BATCH_JOB_TIMEOUT"] < 1:
            raise _error("HEALTHGEO_BATCH_JOB_TIMEOUT must be >= 1")
    if not re.fullmatch(r"[A-Za-z0-9_.:\-]{1,100}", str(cfg["BATCH_QUEUE"])):
        raise _error("HEALTHGEO_BATCH_QUEUE may hold letters, digits, '.', ':', '_' and '-' only")
