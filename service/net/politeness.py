"""A per-host concurrency and rate limit shared by every worker on every machine, through Redis.

Each host has two keys under ``<prefix>:host:<host[:port]>``:

* ``...:leases`` -- a sorted set of the slots in use, scored by their expiry (Redis server
  time, in ms).  Expired leases are dropped whenever someone asks for a slot, so a worker
  killed with SIGKILL holds its slot for at most ``lease_seconds``;
* ``...:next`` -- the earliest time the next request to the host may start: set to
  ``now + max(min_interval, crawl_delay)`` when a slot is granted, pushed later by
  :meth:`HostLimiter.back_off` (429/503, ``Retry-After``).

Granting a slot is one Lua script (atomic on the server), and times come from the Redis
server's clock, so the limit holds whatever the clocks of the worker machines say.  Waiting
is polling with a short sleep: a host has at most a few waiters, and their next chance is
known (the interval) or close (a slot freed by a request of a few hundred ms).
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import redis

__all__ = ["HostBusy", "HostLimiter", "SlotGrant", "host_key", "retry_after_seconds"]

log = logging.getLogger("healthgeo.politeness")

MAX_POLL = 0.05  # seconds between two tries while every slot is taken

# KEYS: leases, next.  ARGV: token, max_concurrency, interval_ms, lease_ms.
# Returns {1, 0} when granted; {0, ms} when the host's interval or back-off has ms to run;
# {-1, ms} when every slot is taken (ms: until the first lease expires).
_ACQUIRE = """
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local not_before = tonumber(redis.call('GET', KEYS[2]) or '0')
if not_before > now then
  return {0, not_before - now}
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {-1, tonumber(first[2]) - now}
end
local lease_ms = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + lease_ms, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease_ms + 60000)
local interval = tonumber(ARGV[3])
if interval > 0 then
  redis.call('SET', KEYS[2], now + interval, 'PX', interval + 60000)
end
return {1, 0}
"""

# KEYS: next.  ARGV: pause_ms.  Pushes the host's next start time later, never earlier.
_BACK_OFF = """
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then
  redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1]) + 60000)
  return until_ms - now
end
return current - now
"""


class HostBusy(TimeoutError):
    """No slot for the host within ``wait_timeout``."""

    def __init__(self, host: str, waited: float):
        super().__init__(f"no request slot for {host} within {waited:.3g} s (per-host limit or back-off)")
        self.host = host
        self.waited = waited


@dataclass(frozen=True)
class SlotGrant:
    """What :meth:`HostLimiter.slot` yields: the host and how long the caller waited for it."""

    host: str
    token: str
    waited: float


def host_key(url: str) -> str:
    """``host[:port]`` of a URL, lower-cased, default ports dropped: what the limit is per."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ValueError(f"URL {url!r} has no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"URL {url!r} has an invalid port") from None
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme.lower() == "https" else 80
    return host if port in (None, default) else f"{host}:{port}"


class HostLimiter:
    """At most ``max_concurrency`` requests in flight per host, starts spaced by at least
    ``min_interval`` seconds (or the robots.txt ``Crawl-delay`` when larger), across every
    process sharing ``redis`` and ``prefix``.

    ``lease_seconds`` bounds how long a slot stays taken when its holder dies without
    releasing it; it must exceed the longest request (the fetcher's total timeout).
    """

    def __init__(
        self,
        redis: redis.Redis,
        prefix: str,
        *,
        max_concurrency: int = 2,
        min_interval: float = 0.0,
        lease_seconds: float = 60.0,
    ):
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be >= 1")
        if min_interval < 0:
            raise ValueError("min_interval must be >= 0")
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be > 0")
        self.redis = redis
        self.prefix = prefix
        self.max_concurrency = max_concurrency
        self.min_interval = min_interval
        self.lease_seconds = lease_seconds
        self._acquire = redis.register_script(_ACQUIRE)
        self._back_off = redis.register_script(_BACK_OFF)

    def _keys(self, host: str) -> list[str]:
        base = f"{self.prefix}:host:{host}"
        return [f"{base}:leases", f"{base}:next"]

    def try_acquire(self, url: str, *, crawl_delay: float | None = None) -> tuple[str | None, float, bool]:
        """One attempt: ``(token, 0, False)`` when a slot is granted, else ``(None, seconds, full)``:
        ``full`` false means the host's interval (or back-off) ends in exactly ``seconds``;
        true means every slot is taken, ``seconds`` being when the oldest lease would expire."""
        host = host_key(url)
        interval = max(self.min_interval, crawl_delay or 0.0)
        token = uuid.uuid4().hex
        status, wait_ms = self._acquire(
            keys=self._keys(host),
            args=[token, self.max_concurrency, int(round(interval * 1000)), int(round(self.lease_seconds * 1000))],
        )
        if status == 1:
            return token, 0.0, False
        return None, max(0, int(wait_ms)) / 1000, status == -1

    def release(self, url: str, token: str) -> None:
        self.redis.zrem(self._keys(host_key(url))[0], token)

    @contextmanager
    def slot(self, url: str, *, crawl_delay: float | None = None, wait_timeout: float = 300.0) -> Iterator[SlotGrant]:
        """Block until ``url``'s host has a free slot and its interval has passed; release on exit.

        Raises :class:`HostBusy` after ``wait_timeout`` seconds without a slot.
        """
        host = host_key(url)
        start = time.monotonic()
        deadline = start + wait_timeout
        while True:
            token, wait, full = self.try_acquire(url, crawl_delay=crawl_delay)
            if token is not None:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise HostBusy(host, time.monotonic() - start)
            if full:  # a slot frees when a request ends: poll, with jitter so waiters do not ask in lockstep
                wait = min(wait, MAX_POLL * (0.5 + random.random()))
            time.sleep(max(0.001, min(wait, left)))
        try:
            yield SlotGrant(host, token, time.monotonic() - start)
        finally:
            try:
                self.release(url, token)
            except redis.RedisError as e:  # the lease expires by itself
                log.warning("could not release the slot for %s (%s); it expires in %g s", host, e, self.lease_seconds)

    def back_off(self, url: str, seconds: float) -> float:
        """Pause every request to ``url``'s host for ``seconds`` (never shortens a pause already
        set).  Returns the pause now in force, in seconds."""
        ms = self._back_off(keys=self._keys(host_key(url))[1:], args=[max(0, int(round(seconds * 1000)))])
        return max(0, int(ms)) / 1000

    def in_flight(self, url: str) -> int:
        """Slots of ``url``'s host currently leased (expired leases excluded)."""
        leases = self._keys(host_key(url))[0]
        now_s, now_us = self.redis.time()
        return int(self.redis.zcount(leases, now_s * 1000 + now_us // 1000 + 1, "+inf"))


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or HTTP-date), else None.

    A date in the past gives 0; a negative or unparsable value gives None.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
