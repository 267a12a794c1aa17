"""Batches that cannot silently stop: stalled batches reported (status and /readyz), local workers restarted when
they die (LocalWorkers), and a page over the audit time budget recorded as failed with its reason.

Real Redis and real `healthgeo worker` processes; the slow page is an in-process engine hook.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rq import Queue, Worker

import scoring
from service.api.app import create_app
from service.batches import supervisor
from service.batches.jobs import run_pages
from service.batches.queries import iter_records, progress, stalled_summary
from service.batches.service import create_batch
from service.batches.supervisor import LocalWorkers
from tests import redis_helper
from tests.batch_helpers import ROOT, BatchEnv
from tests.sitesim import SimSite
from tests.test_api_limits import slow_engine


@pytest.fixture
def env():
    e = BatchEnv(redis_helper.redis_url(), extra={"HEALTHGEO_BATCH_STALL_AFTER": "2"})
    yield e
    e.close()


# --------------------------------------------------------------------------- stalled

# Long enough that a batch read one second after its creation is not stalled yet even on a loaded machine.
STALL_AFTER = 10


@pytest.fixture
def patient_env():
    e = BatchEnv(redis_helper.redis_url(), extra={"HEALTHGEO_BATCH_STALL_AFTER": str(STALL_AFTER)})
    yield e
    e.close()


def test_a_batch_nobody_works_on_is_reported_stalled_then_recovers(patient_env):
    env = patient_env
    with SimSite(pages=20, crawl_delay=0.01, hang_seconds=1) as site:
        urls = sorted(site.expected_pages)[:4]
        batch = create_batch(env.rt, {"urls": urls})
        assert batch["state"] == "queued" and batch["stalled_since"] is None
        time.sleep(1.0)
        assert progress(env.rt, batch["id"])["state"] == "queued"  # under HEALTHGEO_BATCH_STALL_AFTER
        stalled = env.wait(batch["id"], timeout=STALL_AFTER + 60, until=lambda b: b["state"] == "stalled")
        assert stalled["stalled_since"] == batch["created_at"]  # it never advanced
        summary = stalled_summary(env.rt)
        assert summary == {"ok": False, "active": 1, "stalled": 1, "stalled_since": batch["created_at"],
                           "stall_after_seconds": STALL_AFTER}

        env.start_worker()  # a worker at last: the batch moves again and ends
        final = env.wait(batch["id"], timeout=60)
        assert final["state"] == "done" and final["stalled_since"] is None
        assert stalled_summary(env.rt) == {"ok": True, "active": 0, "stalled": 0, "stalled_since": None,
                                           "stall_after_seconds": STALL_AFTER}


def test_readyz_says_a_batch_is_stalled_without_naming_it(env):
    client = create_app({**env.config_overrides(), "BATCH_STALL_AFTER": 2, "TESTING": True}).test_client()
    body = client.get("/readyz").get_json()
    assert body["ready"] is True and body["checks"]["batches"]["ok"] is True
    batch = create_batch(env.rt, {"urls": ["http://127.0.0.1:9/nowhere"]})
    time.sleep(2.3)
    resp = client.get("/readyz")
    assert resp.status_code == 200  # audits are still served: only the batch workers need attention
    check = resp.get_json()["checks"]["batches"]
    assert check["ok"] is False and check["stalled"] == 1 and check["stalled_since"] == batch["created_at"]
    assert batch["id"] not in resp.get_data(as_text=True)  # readiness is public: no tenant's batch id


def test_stalled_threshold_boundary(env):
    from service.batches.queries import stalled_since

    created = 1_000_000.0
    assert stalled_since(env.rt, "running", created, created + 10, now=created + 12) is None  # 2 s: not over
    assert stalled_since(env.rt, "running", created, created + 10, now=created + 12.01) == created + 10
    assert stalled_since(env.rt, "done", created, created + 10, now=created + 100) is None


# --------------------------------------------------------------------------- time budget in batches


def test_a_page_over_the_time_budget_is_recorded_failed_with_its_reason(env, monkeypatch):
    env.rt.audits.budget = 1.5
    scoring.audit_html("<html><body><p>warm-up</p></body></html>")  # the engine's lazy set-up is not timed
    with SimSite(pages=20, crawl_delay=0.0, hang_seconds=1) as site:
        slow, fine = sorted(site.expected_pages)[:2]
        batch = create_batch(env.rt, {"urls": [slow, fine]})
        env.rt.batches.transition(batch["id"], "running", "queued")
        env.rt.batches.admit(batch["id"], [(slow, True, None), (fine, True, None)], token="test")
        monkeypatch.setattr(scoring, "audit_page", slow_engine(60.0))
        started = time.monotonic()
        run_pages(env.rt, batch["id"], [[slow, 0]])
        assert time.monotonic() - started < 30  # stopped by the budget, not by the end of the slow work (60 s)
        monkeypatch.undo()
        run_pages(env.rt, batch["id"], [[fine, 0]])
    records = {r["url"]: r for r in iter_records(env.rt, batch["id"])}
    assert records[slow]["state"] == "failed"
    assert records[slow]["error"]["code"] == "audit-timeout"
    assert records[slow]["error"]["message"].startswith("The page took longer than 1.5 s to audit")
    assert records[fine]["state"] == "done"


# --------------------------------------------------------------------------- LocalWorkers


def _sleeper(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)


def _quitter(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)


def test_local_workers_replace_a_killed_worker():
    workers = LocalWorkers(2, {}, launch=_sleeper).start()
    try:
        victim, other = workers.procs
        assert workers.check() == 0  # all alive: nothing to do
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(30)
        assert workers.check() == 1
        assert len(workers.procs) == 2 and victim not in workers.procs and other in workers.procs
        assert all(p.poll() is None for p in workers.procs) and workers.restarts == 1
    finally:
        workers.stop(timeout=5)
    assert all(p.poll() is not None for p in workers.procs)


def test_local_workers_back_off_when_they_die_as_they_start(monkeypatch):
    now = [0.0]
    workers = LocalWorkers(1, {}, launch=_quitter, clock=lambda: now[0]).start()
    try:
        delays = []
        for _ in range(supervisor.CRASH_LOOP):
            workers.procs[0].wait(30)
            restarted_at = now[0]
            while not workers.check():
                now[0] += 0.5
            delays.append(now[0] - restarted_at)
        assert delays == [0.0, 1.0, 2.0, 4.0, 8.0]  # at once, then 1 s, doubling
        assert workers.crash_looping
    finally:
        workers.stop(timeout=5)


def test_local_workers_watch_in_the_background():
    workers = LocalWorkers(1, {}, launch=_sleeper).start().watch(every=0.1)
    try:
        first = workers.procs[0]
        os.kill(first.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not workers.procs or workers.procs[0] is first):
            time.sleep(0.05)
        assert workers.procs[0] is not first and workers.procs[0].poll() is None
    finally:
        workers.stop(timeout=5)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_a_worker_leaves_when_the_process_that_started_it_is_killed(env):
    starter = subprocess.Popen(
        [sys.executable, "-c", "import os, time\nfrom service.batches.supervisor import LocalWorkers\n"
         "w = LocalWorkers(1, dict(os.environ)).start()\nprint(w.procs[0].pid, flush=True)\ntime.sleep(120)"],
        cwd=ROOT, env=env.env, stdout=subprocess.PIPE, text=True)
    worker_pid = int(starter.stdout.readline())
    try:
        queue = Queue(env.queue, connection=env.conn)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker_pid not in {w.pid for w in Worker.all(queue=queue)}:
            assert not _gone(worker_pid), "the worker died as it started"
            time.sleep(0.2)
        starter.kill()  # SIGKILL: no chance to stop its workers
        starter.wait(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _gone(worker_pid):
            time.sleep(0.2)
        assert _gone(worker_pid), "the worker outlived the process that started it"
    finally:
        try:
            os.killpg(worker_pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def test_crawl_replaces_its_killed_workers_and_audits_every_page_once(env, tmp_path):
    from tests.test_workers_supervised import local_workers, wait_for

    with SimSite(pages=60, crawl_delay=0.01, hang_seconds=1) as site:
        urls = sorted(site.expected_pages)[:40]
        (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n")
        out = tmp_path / "pages.jsonl"
        crawl_env = {**env.env, "HEALTHGEO_BATCH_RETRY_INTERVALS": "0", "HEALTHGEO_BATCH_HOST_INTERVAL": "0.05"}
        crawl = subprocess.Popen([sys.executable, "-m", "service.cli", "crawl", "--urls", str(tmp_path / "urls.txt"),
                                  "--workers", "2", "-o", str(out)], cwd=ROOT, env=crawl_env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            first = wait_for(lambda: (lambda w: w if len(w) == 2 else None)(local_workers(crawl.pid)), 30,
                             "two crawl workers")
            batch_key = f"{env.prefix}:batch:" + wait_for(lambda: _only_batch(env), 60, "the crawl's batch")
            wait_for(lambda: int(env.conn.hget(batch_key, "done") or 0) >= 5, 60, "5 pages done")
            for pid in first:
                os.kill(pid, signal.SIGKILL)
            assert crawl.wait(150) == 0, crawl.stderr.read()[-2000:]
        finally:
            if crawl.poll() is None:
                crawl.kill()
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(x["batch"]["url"] for x in lines) == sorted(urls)  # every page, once
        assert all(x["batch"]["state"] == "done" for x in lines)


def _only_batch(env) -> str | None:
    keys = [k.decode() for k in env.conn.scan_iter(match=f"{env.prefix}:batch:b_*", count=1000)
            if k.count(b":") == 2]
    return keys[0].rsplit(":", 1)[1] if keys else None


def test_a_stopping_worker_is_not_held_by_its_pubsub_thread_when_the_reply_comes_first(env, monkeypatch):
    """A busy machine: the pubsub thread reads the unsubscribe reply before the stopping worker runs again."""
    from service.batches.worker import make_worker

    worker = make_worker(env.cfg, [env.queue])
    worker.subscribe()
    pubsub, thread = worker.pubsub, worker.pubsub_thread
    real_unsubscribe = pubsub.unsubscribe

    def unsubscribe_then_fall_behind(*args, **kwargs):
        real_unsubscribe(*args, **kwargs)
        deadline = time.monotonic() + 30
        while pubsub.subscribed and time.monotonic() < deadline:  # the thread has handled the reply
            time.sleep(0.01)

    monkeypatch.setattr(pubsub, "unsubscribe", unsubscribe_then_fall_behind)
    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    stopping.start()
    stopping.join(30)  # RQ's order would wait for the thread's 60 s re-subscription wait
    assert not stopping.is_alive(), "the worker's teardown waits on its pubsub thread"
    thread.join(30)
    assert not thread.is_alive()
