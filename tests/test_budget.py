"""The per-audit time budget (service/audits/budget.py): in the main thread (SIGALRM, nested inside an enclosing alarm
such as RQ's job timeout) and in other threads (asynchronous exception)."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from service.audits.budget import BudgetExceeded, time_budget

# Work the budget must stop lasts a minute and the test allows it half of that: a budget that does not stop it
# still fails, a loaded machine (late signals, a starved thread) does not. Work the budget must leave alone is
# far shorter than its budget for the same reason.
ENDLESS = 60.0
STOPPED_WITHIN = 30.0


def spin(seconds: float) -> int:
    """Pure-Python work for ``seconds`` (what a pathological page costs the engine)."""
    until = time.monotonic() + seconds
    n = 0
    while time.monotonic() < until:
        n += 1
    return n


def test_work_over_the_budget_is_stopped():
    started = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with time_budget(0.2):
            spin(ENDLESS)
    assert time.monotonic() - started < STOPPED_WITHIN
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # nothing left armed


def test_work_within_the_budget_is_untouched():
    handler = signal.getsignal(signal.SIGALRM)
    with time_budget(30):
        assert spin(0.05) > 0
    # no late alarm: the timer is disarmed and the handler given back (nothing else can raise later)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert signal.getsignal(signal.SIGALRM) is handler


def test_except_exception_inside_the_work_cannot_swallow_it():
    with pytest.raises(BudgetExceeded):
        with time_budget(0.2):
            try:
                spin(ENDLESS)
            except Exception:  # noqa: BLE001 - what a best-effort fallback in the engine does
                pass


def test_no_budget_means_no_alarm():
    with time_budget(None):
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


class OuterTimeout(Exception):
    pass


def test_an_enclosing_alarm_is_kept_and_fires_after_the_budget():
    def outer(signum, frame):
        raise OuterTimeout()

    previous = signal.signal(signal.SIGALRM, outer)
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)  # as RQ's job timeout: signal.alarm
        with time_budget(3.0):
            spin(0.1)
        assert signal.getsignal(signal.SIGALRM) is outer
        # re-armed with what is left of it: less by the 0.1 s of work at least, and not spent
        assert 1.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 4.9
        with pytest.raises(OuterTimeout):
            spin(ENDLESS)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_an_enclosing_alarm_that_comes_first_stays_in_charge():
    def outer(signum, frame):
        raise OuterTimeout()

    previous = signal.signal(signal.SIGALRM, outer)
    try:
        with pytest.raises(OuterTimeout):  # the outer alarm, not the budget's (which would come 28 s later)
            signal.setitimer(signal.ITIMER_REAL, 2.0)
            with time_budget(30):
                spin(ENDLESS)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _in_thread(fn):
    outcome = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - reported to the test
            outcome["error"] = e

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(ENDLESS + 10)
    assert not thread.is_alive()
    return outcome


def test_outside_the_main_thread_the_budget_still_stops_the_work():
    def work():
        with time_budget(0.2):
            spin(ENDLESS)

    started = time.monotonic()
    outcome = _in_thread(work)
    assert isinstance(outcome.get("error"), BudgetExceeded)
    assert time.monotonic() - started < STOPPED_WITHIN


def test_outside_the_main_thread_work_within_the_budget_is_untouched():
    def work():
        with time_budget(5):
            spin(0.05)
        spin(5.5)  # past the budget: nothing lands late
        return "done"

    assert _in_thread(work) == {"value": "done"}


def test_budget_and_stall_settings_are_read_and_checked():
    from service.config.errors import ConfigError
    from service.config.settings import load_config

    assert load_config({})["AUDIT_BUDGET"] == 20.0 and load_config({})["BATCH_STALL_AFTER"] == 300
    assert load_config({"HEALTHGEO_AUDIT_BUDGET": "2.5"})["AUDIT_BUDGET"] == 2.5
    assert load_config({"HEALTHGEO_AUDIT_BUDGET": "20s"})["AUDIT_BUDGET"] == 20.0
    assert load_config({"HEALTHGEO_AUDIT_BUDGET": "0.001"})["AUDIT_BUDGET"] == 0.001
    for bad in ("0", "-1", "soon", "5m"):
        with pytest.raises(ConfigError, match="HEALTHGEO_AUDIT_BUDGET"):
            load_config({"HEALTHGEO_AUDIT_BUDGET": bad})
    assert load_config({"HEALTHGEO_BATCH_STALL_AFTER": "1"})["BATCH_STALL_AFTER"] == 1
    with pytest.raises(ConfigError, match="HEALTHGEO_BATCH_STALL_AFTER"):
        load_config({"HEALTHGEO_BATCH_STALL_AFTER": "0"})
