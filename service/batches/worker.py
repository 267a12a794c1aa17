"""The RQ worker of batches (``healthgeo worker``).

``BatchWorker`` is RQ's ``SimpleWorker`` (jobs run in the worker process: no fork per job, and the
parsed robots.txt, connection pools and imports stay warm), plus what RQ's forking worker does and
SimpleWorker does not: a heartbeat while a job runs.  A worker that dies (SIGKILL, lost machine) stops
beating; after ``WORKER_ABANDON_AFTER`` seconds RQ's maintenance (every ``WORKER_MAINTENANCE``
seconds, in any live worker, ``StartedJobRegistry.cleanup``) finds the job abandoned and retries it
(it counts one of its ``Retry`` attempts), so another worker finishes it.  RQ's own margin is a fixed
60 s (``get_heartbeat_ttl``); ours is configurable so tests and small sites recover in seconds.

The scheduler (``with_scheduler``) is on: RQ needs it for retries with an interval.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from rq import Queue, SimpleWorker
from rq.worker import WorkerStatus

from ..config.settings import load_config
from .runtime import redis_connection

__all__ = ["BatchWorker", "run_worker", "run_workers"]

log = logging.getLogger("healthgeo.worker")


class BatchWorker(SimpleWorker):
    heartbeat_interval = 10
    abandon_after = 30

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        return int(self.heartbeat_interval + self.abandon_after)

    def execute_job(self, job, queue):
        execution = self.prepare_execution(job)
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job, execution, stop), name="rq-heartbeat", daemon=True)
        beat.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            stop.set()
            beat.join()
        self.set_state(WorkerStatus.IDLE)

    def unsubscribe(self) -> None:
        """Stop the pubsub thread (RQ's stop/kill-job commands) without the shutdown hang RQ's order allows.

        RQ unsubscribes first, then stops the thread.  On a busy machine the thread may read the unsubscribe
        reply before the flag is cleared; it then waits for a new subscription (RQ's ``sleep_time``, 60 s) and
        the teardown's join waits with it, so a stopped worker lingers a minute.  Clearing the flag first and
        only then unsubscribing lets the reply wake a thread that already knows it must leave.
        """
        thread = self.pubsub_thread
        if thread is None:
            return
        try:
            thread.stop(timeout=0)  # redis-py 8 joins in stop(): here only clear its running flag
        except TypeError:
            thread.stop()  # older redis-py: stop() only clears the flag
        try:
            self.pubsub.unsubscribe()  # the reply wakes the thread, which leaves and closes the pubsub
        finally:
            thread.join(timeout=5)  # a daemon thread: never waited for longer than that
            self.pubsub.close()

    def _beat(self, job, execution, stop: threading.Event) -> None:
        while not stop.wait(self.heartbeat_interval):
            try:
                self.maintain_heartbeats(job, execution)
            except Exception as e:  # noqa: BLE001 - a missed beat is retried at the next interval
                log.warning("heartbeat failed: %s", e)


def make_worker(cfg: dict[str, Any], queues: list[str], *, name: str | None = None) -> BatchWorker:
    connection = redis_connection(cfg)
    worker = BatchWorker([Queue(q, connection=connection) for q in queues], connection=connection, name=name,
                         maintenance_interval=cfg["WORKER_MAINTENANCE"], worker_ttl=cfg["WORKER_TTL"],
                         job_monitoring_interval=cfg["WORKER_HEARTBEAT"])
    worker.heartbeat_interval = cfg["WORKER_HEARTBEAT"]
    worker.abandon_after = cfg["WORKER_ABANDON_AFTER"]
    return worker


def run_worker(queues: list[str] | None = None, *, burst: bool = False, cfg: dict[str, Any] | None = None,
               logging_level: str = "WARNING") -> int:
    """Run one worker until stopped (SIGTERM/SIGINT) or, with ``burst``, until the queues are empty.

    When Redis goes away for longer than the client's retries, RQ's loop gives up; we start a new
    worker once Redis answers again, so a Redis restart never needs the workers restarted by hand.
    """
    cfg = cfg or load_config()
    queues = queues or [cfg["BATCH_QUEUE"]]
    while True:
        worker = make_worker(cfg, queues)
        try:
            worker.work(burst=burst, with_scheduler=True, logging_level=logging_level)
        except Exception as e:  # noqa: BLE001 - Redis unreachable at start: wait and try again
            log.warning("worker stopped: %s", e)
        if burst or worker._stop_requested or worker._shutdown_requested_date is not None:  # SIGTERM/SIGINT
            return 0
        time.sleep(1.0)


def _child(queues: list[str], burst: bool, logging_level: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent relays Ctrl-C as SIGTERM
    sys.exit(run_worker(queues, burst=burst, logging_level=logging_level))


def run_workers(count: int, queues: list[str] | None = None, *, burst: bool = False,
                logging_level: str = "WARNING") -> int:
    """``count`` worker processes (fork); SIGTERM or Ctrl-C stops them after their current job."""
    if count <= 1:
        return run_worker(queues, burst=burst, logging_level=logging_level)
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_child, args=(queues, burst, logging_level), name=f"healthgeo-worker-{i}")
             for i in range(count)]
    for p in procs:
        p.start()

    def relay(signum, frame):
        for p in procs:
            if p.is_alive() and p.pid:
                os.kill(p.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, relay)
    signal.signal(signal.SIGINT, relay)
    for p in procs:
        p.join()
    return max((p.exitcode or 0) for p in procs)
