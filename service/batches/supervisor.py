"""Local batch workers that come back when they die: the `healthgeo worker` processes the API server (embedded
default) or `healthgeo crawl` starts.

RQ's own answer to a dead worker is in two halves, and this is the second: a job whose worker stopped beating is
found abandoned by any live worker's maintenance and retried (see ``service/batches/worker.py``); and a pool
(``rq.worker_pool.WorkerPool.check_workers``) reaps dead worker processes and starts new ones to keep its count.
RQ's pool forks its workers with RQ's defaults; ours are `healthgeo worker` processes (our heartbeat and
abandon settings), each in its own process group so that the RQ scheduler a killed worker leaves behind goes
with it.  A worker that keeps dying right after it starts (a bad setting, Redis refusing it) is restarted with a
growing delay, and reported, rather than forked in a tight loop.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["LocalWorkers", "SUPERVISOR_ENV", "leave_with_supervisor"]

log = logging.getLogger("healthgeo.supervisor")

QUICK_DEATH = 10.0  # a worker that dies sooner than this after starting counts towards a crash loop
MAX_DELAY = 60.0  # longest wait before restarting a worker that keeps dying
CRASH_LOOP = 5  # quick deaths in a row that make a crash loop
SUPERVISOR_ENV = "HEALTHGEO_SUPERVISOR_PID"  # tells a worker whose death ends it (service/batches/worker.py)


@dataclass
class _Slot:
    proc: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0
    next_start: float = 0.0


def _launch(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=env, stdin=subprocess.DEVNULL,
                            start_new_session=True)


class LocalWorkers:
    """``count`` `healthgeo worker` processes on ``env``'s Redis and queue, kept at that count by :meth:`check`."""

    def __init__(self, count: int, env: dict[str, str], *, launch: Callable[[dict[str, str]], subprocess.Popen] =
                 _launch, clock: Callable[[], float] = time.monotonic):
        self.env = {**env, SUPERVISOR_ENV: str(os.getpid())}
        self.restarts = 0
        self._slots = [_Slot() for _ in range(max(0, count))]
        self._launch = launch
        self._clock = clock
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def procs(self) -> list[subprocess.Popen]:
        return [slot.proc for slot in self._slots if slot.proc is not None]

    @property
    def crash_looping(self) -> bool:
        """Every worker keeps dying as soon as it starts: restarting them will not help."""
        return bool(self._slots) and all(slot.quick_deaths >= CRASH_LOOP for slot in self._slots)

    def start(self) -> LocalWorkers:
        with self._lock:
            for slot in self._slots:
                self._start(slot)
        return self

    def _start(self, slot: _Slot) -> None:
        slot.proc = self._launch(self.env)
        slot.started = self._clock()

    def check(self) -> int:
        """Reap dead workers and start new ones in their place (after a delay when they die young).

        Returns how many were started.
        """
        started = 0
        with self._lock:
            if self._stopping.is_set():
                return 0
            now = self._clock()
            for slot in self._slots:
                proc = slot.proc
                if proc is not None and proc.poll() is None:
                    continue
                if proc is not None:  # just found dead
                    _kill_group(proc)
                    quick = now - slot.started < QUICK_DEATH
                    slot.quick_deaths = slot.quick_deaths + 1 if quick else 0
                    # the first death is restarted at once; dying young again waits 1 s, 2 s, 4 s ...
                    delay = min(MAX_DELAY, 2.0 ** (slot.quick_deaths - 2)) if slot.quick_deaths > 1 else 0.0
                    slot.next_start = now + delay
                    slot.proc = None
                    log.warning("batch worker %s died (exit status %s); restarting it%s", proc.pid, proc.returncode,
                                f" in {delay:.0f} s" if delay else "",
                                extra={"event": "worker_died", "pid": proc.pid, "status": proc.returncode})
                if now >= slot.next_start:
                    self._start(slot)
                    self.restarts += 1
                    started += 1
        return started

    def watch(self, every: float = 1.0) -> LocalWorkers:
        """Check the workers every ``every`` seconds in a daemon thread until :meth:`stop`."""

        def loop() -> None:
            while not self._stopping.wait(every):
                try:
                    self.check()
                except Exception:  # noqa: BLE001 - the watcher must outlive one failed restart
                    log.exception("restarting a batch worker failed")

        self._watcher = threading.Thread(target=loop, name="healthgeo-worker-supervisor", daemon=True)
        self._watcher.start()
        return self

    def stop(self, timeout: float = 20.0) -> None:
        """Stop watching, then ask every worker to finish its job and leave (SIGTERM), SIGKILL after ``timeout``."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join(5)
        with self._lock:
            procs = self.procs
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            _kill_group(proc)


def leave_with_supervisor(every: float = 2.0) -> None:
    """In a worker started by :class:`LocalWorkers`: stop it (SIGTERM, a warm shutdown) once the process that
    started it is gone, so that a server or crawl killed outright leaves no worker behind."""
    raw = os.environ.get(SUPERVISOR_ENV, "")
    if not raw.isdigit():
        return
    parent = int(raw)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="healthgeo-supervisor-watch", daemon=True).start()


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL what is left of a dead worker's process group (the RQ scheduler it forked)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
