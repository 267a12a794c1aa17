"""A time budget for one audit: ``with time_budget(20): ...`` raises :class:`BudgetExceeded` when time runs out.

The engine is CPU-bound Python, so the budget interrupts it from outside, as RQ's job timeouts do:

* in the main thread (gunicorn sync workers, RQ workers, the CLI), a ``SIGALRM`` interval timer whose handler
  raises.  An enclosing alarm (RQ's own job timeout, ``signal.alarm``) is kept: when it comes first it is left
  to act; otherwise it is re-armed with what is left of it when the budget ends;
* in any other thread, a timer thread that raises the exception asynchronously in the audited thread
  (``PyThreadState_SetAsyncExc``).  It lands between two Python bytecodes, so a long call into C (one lxml
  parse) finishes first; the bounded engine keeps those short.

``BudgetExceeded`` derives from ``BaseException`` so that an ``except Exception`` inside the engine (a
best-effort parser fallback) cannot swallow it.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BudgetExceeded", "time_budget"]


class BudgetExceeded(BaseException):
    """The work ran past its time budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block within ``seconds`` (None or <= 0: no budget)."""
    if not seconds or seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _async_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    outer_delay, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_delay and outer_delay <= seconds:
        yield  # an enclosing deadline comes first: it stays in charge
        return
    active = [True]

    def expire(signum, frame):
        if active[0]:
            raise BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            active[0] = False
        finally:  # runs even if the alarm's exception lands in the line above
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
            if outer_delay:
                signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - started), 0.001))


@contextmanager
def _async_timer(seconds: float) -> Iterator[None]:
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                                           ctypes.py_object(BudgetExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            if state["fired"]:  # not delivered yet (the block ended first): withdraw it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
