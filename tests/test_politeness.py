"""The per-host limit shared through Redis: concurrency, spacing, back-off, expired leases.

Real Redis (tests/redis_helper.py), real threads and real processes; the generated site's
request log is the witness of what reached the server.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from datetime import UTC, datetime

import pytest

from service.net.politeness import HostBusy, HostLimiter, host_key, retry_after_seconds
from tests import redis_helper
from tests.sitesim import SimSite

URL = "http://site.example/page"
OTHER = "http://other.example/page"


def make(prefix: str, **kw) -> HostLimiter:
    return HostLimiter(redis_helper.client(), prefix, **kw)


def run_threads(n: int, target) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)


def test_host_key():
    assert host_key("https://WWW.Ex.com:443/a?b") == "www.ex.com"
    assert host_key("http://127.0.0.1:8080/") == "127.0.0.1:8080"
    with pytest.raises(ValueError):
        host_key("/relative")


def test_threads_never_exceed_the_concurrency_limit(prefix):
    limiter = make(prefix, max_concurrency=2)
    lock = threading.Lock()
    state = {"now": 0, "peak": 0, "done": 0}

    def work(_i: int) -> None:
        for _ in range(3):
            with limiter.slot(URL, wait_timeout=10):
                with lock:
                    state["now"] += 1
                    state["peak"] = max(state["peak"], state["now"])
                time.sleep(0.03)
                with lock:
                    state["now"] -= 1
                    state["done"] += 1

    run_threads(6, work)
    assert state["done"] == 18 and state["peak"] == 2
    assert limiter.in_flight(URL) == 0


def test_starts_are_spaced_by_the_interval_or_the_larger_crawl_delay(prefix):
    for min_interval, crawl_delay, expected in ((0.08, None, 0.08), (0.02, 0.1, 0.1)):
        limiter = make(prefix + str(min_interval), max_concurrency=5, min_interval=min_interval)
        starts: list[float] = []

        def work(_i: int, limiter=limiter, starts=starts, crawl_delay=crawl_delay) -> None:
            for _ in range(2):
                with limiter.slot(URL, crawl_delay=crawl_delay, wait_timeout=10):
                    starts.append(time.monotonic())

        run_threads(3, work)
        redis_helper.cleanup(prefix + str(min_interval))
        starts.sort()
        gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
        assert len(starts) == 6 and min(gaps) >= expected - 0.01, gaps


def test_hosts_are_independent(prefix):
    limiter = make(prefix, max_concurrency=1, min_interval=60)
    with limiter.slot(URL):
        with limiter.slot(OTHER, wait_timeout=30) as grant:  # tied to URL's host, it would wait a minute
            assert grant.host == "other.example" and grant.waited < 30


def test_wait_timeout_raises_a_clear_error(prefix):
    limiter = make(prefix, max_concurrency=1)
    with limiter.slot(URL):
        start = time.monotonic()
        with pytest.raises(HostBusy, match="no request slot for site.example within"):
            with limiter.slot(URL, wait_timeout=0.2):
                pass
        assert 0.15 < time.monotonic() - start
    with limiter.slot(URL, wait_timeout=0.2):  # released on exit, even after the failure above
        pass


def test_back_off_pauses_the_host_for_every_limiter_and_never_shortens(prefix):
    a, b = make(prefix), make(prefix)  # two workers
    started = time.monotonic()
    assert a.back_off(URL, 4) == pytest.approx(4, abs=0.05)
    # a shorter pause keeps the longer one (what is left of it: less by the time since, on a loaded machine)
    assert 4 - (time.monotonic() - started) - 0.05 <= a.back_off(URL, 0.05) <= 4
    with b.slot(OTHER, wait_timeout=30) as grant:
        assert grant.waited < 2  # another host does not wait for URL's pause
    pause_left = 4 - (time.monotonic() - started)
    with b.slot(URL, wait_timeout=30) as grant:
        assert pause_left - 0.05 <= grant.waited < 20  # waits out the pause (and no more than it, give or take)


# A lease long enough that the test sees the dead worker's slot still taken, even on a loaded machine.
LEASE = 5.0


def _hold_slot_then_hang(url: str, redis_url: str, prefix: str, ready) -> None:
    import redis as redis_lib

    limiter = HostLimiter(redis_lib.Redis.from_url(redis_url), prefix, max_concurrency=1, lease_seconds=LEASE)
    with limiter.slot(url):
        ready.set()
        time.sleep(60)


def test_a_slot_held_by_a_killed_worker_is_reclaimed_when_its_lease_expires(prefix):
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_hold_slot_then_hang, args=(URL, redis_helper.redis_url(), prefix, ready))
    proc.start()
    try:
        assert ready.wait(20), "the worker did not take its slot"
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        limiter = make(prefix, max_concurrency=1, lease_seconds=LEASE)
        token, _wait, full = limiter.try_acquire(URL)
        assert token is None and full, "the dead worker's slot is still leased"
        with limiter.slot(URL, wait_timeout=LEASE + 30) as grant:
            assert 0.05 < grant.waited  # waited for the dead worker's lease to expire
    finally:
        if proc.is_alive():
            proc.kill()


def _fetch_through_limiter(base_url: str, path: str, n: int, redis_url: str, prefix: str) -> None:
    import redis as redis_lib

    from service.net.fetch import fetch
    from service.net.policy import FetchPolicy

    policy = FetchPolicy(allow=("127.0.0.1:*",), read_timeout=5, total_timeout=10)
    limiter = HostLimiter(redis_lib.Redis.from_url(redis_url), prefix, max_concurrency=2, min_interval=0.05)

    def work(_i: int) -> None:
        for _ in range(n):
            with limiter.slot(base_url + path, wait_timeout=30):
                fetch(base_url + path, policy)

    run_threads(2, work)


def test_two_processes_share_the_limit_as_the_server_sees_it(prefix):
    with SimSite(pages=20, crawl_delay=None, hang_seconds=0.15) as site:
        slow = next(u for u, code in site.error_urls.items() if code == "timeout")[len(site.base_url) :]
        site.reset_log()
        ctx = multiprocessing.get_context("spawn")
        args = (site.base_url, slow, 3, redis_helper.redis_url(), prefix)
        procs = [ctx.Process(target=_fetch_through_limiter, args=args) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [p.exitcode for p in procs] == [0, 0]
        starts = sorted(t for _m, path, t, _ua in site.requests if path == slow)
        assert len(starts) == 12
        assert site.max_in_flight == 2, "two processes x two threads, at most two requests at once"
        # the interval holds across processes: the requests spread over at least the intervals' sum (single
        # gaps jitter with each request's transit time on a busy machine)
        assert starts[-1] - starts[0] >= (len(starts) - 1) * 0.05 - 0.03, starts


def test_retry_after_seconds():
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 0 ") == 0.0
    assert retry_after_seconds("Sun, 01 Mar 2026 12:01:30 GMT", now=now) == 90.0
    assert retry_after_seconds("Sun, 01 Mar 2026 11:00:00 GMT", now=now) == 0.0
    for bad in (None, "", "-5", "soon", "1.5", "Sun, 99 Foo 2026"):
        assert retry_after_seconds(bad) is None, bad
