"""Batch tests: a Redis prefix and RQ queue of their own, real `healthgeo worker` processes, clean-up.

Workers are started as ``python -m service.cli worker`` in their own session (process group), so a test
can SIGKILL a whole worker (its RQ scheduler included) the way a lost machine would vanish.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.batches.runtime import Runtime, redis_connection
from service.config.settings import load_config
from tests import redis_helper

ROOT = Path(__file__).resolve().parents[1]

# Short timeouts and fast recovery: a dead worker's job is re-queued within ~3 s.
FAST_ENV = {
    "HEALTHGEO_FETCH_ALLOW": "127.0.0.1:*",
    "HEALTHGEO_FETCH_TIMEOUT": "3",
    "HEALTHGEO_FETCH_CONNECT_TIMEOUT": "1",
    "HEALTHGEO_FETCH_READ_TIMEOUT": "1",
    "HEALTHGEO_BATCH_PAGES_PER_JOB": "5",
    "HEALTHGEO_BATCH_RETRIES": "2",
    "HEALTHGEO_BATCH_RETRY_INTERVALS": "1",
    "HEALTHGEO_BATCH_JOB_TIMEOUT": "60",
    "HEALTHGEO_WORKER_HEARTBEAT": "1",
    "HEALTHGEO_WORKER_ABANDON_AFTER": "2",
    "HEALTHGEO_WORKER_MAINTENANCE": "1",
    "HEALTHGEO_WORKER_TTL": "16",
    "HEALTHGEO_WEBHOOK_BACKOFF": "0.1",
    "HEALTHGEO_LOG_LEVEL": "WARNING",
}


@dataclass
class BatchEnv:
    """One test's Redis prefix, queue, environment for worker processes and in-process runtime."""

    redis_url: str
    prefix: str = field(default_factory=redis_helper.new_prefix)
    extra: dict[str, str] = field(default_factory=dict)
    workers: list[subprocess.Popen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.queue = "hgtest-q-" + uuid.uuid4().hex[:10]
        self.env = {**os.environ, **FAST_ENV, **self.extra, "REDIS_URL": self.redis_url,
                    "HEALTHGEO_KEY_PREFIX": self.prefix, "HEALTHGEO_BATCH_QUEUE": self.queue}
        self.env.pop("PYTEST_CURRENT_TEST", None)
        self.cfg = load_config(self.env)
        self.conn = redis_connection(self.cfg)
        self.rt = Runtime(self.conn, self.prefix, self.cfg)

    def config_overrides(self) -> dict[str, Any]:
        """create_app() settings for the same Redis, prefix and queue."""
        keys = ("REDIS_URL", "KEY_PREFIX", "BATCH_QUEUE", "FETCH_POLICY", "BATCH_PAGES_PER_JOB", "BATCH_RETRIES",
                "BATCH_RETRY_INTERVALS", "BATCH_JOB_TIMEOUT", "WEBHOOK_SECRET", "WEBHOOK_BACKOFF")
        return {k: self.cfg[k] for k in keys}

    def start_worker(self, *args: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-m", "service.cli", "worker", *args], cwd=ROOT, env=self.env,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.workers.append(proc)
        return proc

    def kill_worker(self, proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the worker's whole process group (the worker and its RQ scheduler)."""
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        if sig == signal.SIGKILL:
            proc.wait(10)

    def wait(self, batch_id: str, timeout: float = 120.0, *, until=None) -> dict[str, Any]:
        """Poll the batch until it ends (or ``until(progress)`` is true); fails the test on timeout."""
        from service.batches.model import TERMINAL_STATES
        from service.batches.queries import progress

        deadline = time.monotonic() + timeout
        while True:
            batch = progress(self.rt, batch_id)
            if batch is not None and (until(batch) if until else batch["state"] in TERMINAL_STATES):
                return batch
            if time.monotonic() > deadline:
                raise AssertionError(f"batch {batch_id} not there after {timeout} s: {batch}")
            for proc in self.workers:
                if proc.poll() not in (None, -signal.SIGKILL, 0):
                    raise AssertionError(f"worker {proc.pid} exited with {proc.returncode}")
            time.sleep(0.2)

    def close(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                self.kill_worker(proc, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill_worker(proc)
            try:  # the RQ scheduler child, if its worker was killed alone
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            cleanup_rq(self.conn, self.queue, self.prefix)
            keys = list(self.conn.scan_iter(match=f"{self.prefix}:*", count=1000))
            if keys:
                self.conn.delete(*keys)
        except Exception:  # noqa: BLE001 - a Redis the test already stopped
            pass
        self.conn.close()


def cleanup_rq(conn, queue: str, prefix: str) -> None:
    """Delete the RQ keys of ``queue`` and of the jobs of this test's batches."""
    batch_ids = [k.decode().rsplit(":", 1)[1] for k in conn.scan_iter(match=f"{prefix}:batch:b_*", count=1000)
                 if k.count(b":") == 2]
    doomed = []
    for key in conn.scan_iter(match="rq:*", count=1000):
        text = key.decode("utf-8", "replace")
        if queue in text or any(b in text for b in batch_ids):
            doomed.append(key)
    if doomed:
        conn.delete(*doomed)
    conn.srem("rq:queues", f"rq:queue:{queue}")
