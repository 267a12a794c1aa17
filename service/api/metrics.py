"""Prometheus metrics.

Under gunicorn, ``service/api/gunicorn_conf.py`` sets ``PROMETHEUS_MULTIPROC_DIR`` (a fresh
directory, unless the operator set one) before the workers start, so ``/metrics`` adds up
every worker's counters.  Without it (Flask's server, tests) the metrics are the process's own.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

__all__ = ["AUDITS", "CACHE", "CONTENT_TYPE_LATEST", "REQUESTS", "LATENCY", "render"]

REQUESTS = Counter("healthgeo_http_requests_total", "HTTP requests answered, by endpoint, method and status",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("healthgeo_http_request_duration_seconds", "Time to answer an HTTP request, by endpoint",
                    ["endpoint", "method"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
AUDITS = Counter("healthgeo_audits_total",
                 "Audits answered, by source (html|url) and outcome (computed|cached|timeout)", ["source", "outcome"])
CACHE = Counter("healthgeo_audit_cache_total", "Audit cache look-ups: hit, miss, or off (Redis unavailable)",
                ["result"])


def render() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()
