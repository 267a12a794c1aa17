"""Batch speed: RQ workers versus an in-process loop doing the same fetches and audits.

    python bench/batch_speed.py [--pages 2000] [--workers 2] [--pages-per-job 10] [--redis-url URL]

* The site: tests/sitesim.py with ``--pages`` pages, no Crawl-delay (we measure the queue, not
  politeness), served from a separate process so that it competes with neither side for the GIL.
* In-process: ``--workers`` plain loops in parallel processes, each over its share of the same
  URLs, calling what a job calls for each page (``service.batches.pages.audit_batch_page``:
  per-host slot, safe fetch, robots/llms access, one parse, audit, report stored through the
  audit cache): what the workers would reach with zero queue overhead, under the same CPU
  contention (site server and Redis share the machine).
* Workers: ``--workers`` ``healthgeo worker`` processes and a ``urls`` batch of the same pages
  (another key prefix, so the audit cache does not serve the loop's reports).  The clock runs from
  the batch's creation to its end, so discovery, RQ, the batch bookkeeping and completion are in it.
* Printed: pages/s of both, their ratio (target >= 0.75, i.e. overhead <= 25%) and each
  worker's resident memory (/proc) when 500 pages are done and at the end (growth target <= 10%).

Exit status 1 when a target is missed.  Needs Redis: REDIS_URL, else 127.0.0.1:6379 db 15, else
the embedded one.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _serve(pages: int, conn) -> None:
    from tests.sitesim import SimSite

    with SimSite(pages=pages, crawl_delay=None, hang_seconds=1) as site:
        conn.send((site.base_url, sorted(site.expected_pages)))
        conn.recv()  # until the parent says stop


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _env(args, prefix: str, queue: str) -> dict[str, str]:
    from tests import redis_helper

    return {**os.environ, "REDIS_URL": args.redis_url or redis_helper.redis_url(), "HEALTHGEO_KEY_PREFIX": prefix,
            "HEALTHGEO_BATCH_QUEUE": queue, "HEALTHGEO_FETCH_ALLOW": "127.0.0.1:*",
            "HEALTHGEO_BATCH_PAGES_PER_JOB": str(args.pages_per_job), "HEALTHGEO_LOG_LEVEL": "WARNING",
            "HEALTHGEO_BATCH_HOST_CONCURRENCY": str(max(2, args.workers))}


def _loop(args, urls: list[str], prefix: str, start_at: float, conn) -> None:
    from service.api.auth.tenants import LOCAL_TENANT
    from service.batches.pages import audit_batch_page
    from service.batches.runtime import Runtime, redis_connection
    from service.config.settings import load_config

    cfg = load_config(_env(args, prefix, "unused"))
    rt = Runtime(redis_connection(cfg), prefix, cfg)
    audit_batch_page(rt, urls[0], 0, owner=LOCAL_TENANT)  # warm up imports and the robots cache, like a first page
    time.sleep(max(0.0, start_at - time.time()))
    for url in urls:
        result = audit_batch_page(rt, url, 0, owner=LOCAL_TENANT)
        assert result.state == "done", result.record
    conn.send(time.time())


def in_process(args, urls: list[str]) -> float:
    """``--workers`` plain loops in parallel processes, each over its share of the pages (no queue)."""
    from tests import redis_helper

    prefix = "hgbench-" + uuid.uuid4().hex[:8]
    ctx = multiprocessing.get_context("spawn")
    start_at = time.time() + 3.0
    pipes, procs = [], []
    for i in range(args.workers):
        here, there = ctx.Pipe()
        procs.append(ctx.Process(target=_loop, args=(args, urls[i::args.workers], prefix, start_at, there)))
        pipes.append(here)
    for p in procs:
        p.start()
    ends = [pipe.recv() for pipe in pipes]
    for p in procs:
        p.join()
    redis_helper.cleanup(prefix)
    return len(urls) / (max(ends) - start_at)


def with_workers(args, urls: list[str]) -> tuple[float, dict[int, tuple[float, float]]]:
    from service.batches.queries import progress
    from service.batches.runtime import Runtime, redis_connection
    from service.batches.service import create_batch
    from service.config.settings import load_config
    from tests import redis_helper
    from tests.batch_helpers import cleanup_rq

    prefix, queue = "hgbench-" + uuid.uuid4().hex[:8], "hgbench-q-" + uuid.uuid4().hex[:8]
    env = _env(args, prefix, queue)
    cfg = load_config(env)
    conn = redis_connection(cfg)
    rt = Runtime(conn, prefix, cfg)
    workers = [subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], cwd=ROOT, env=env,
                                start_new_session=True) for _ in range(args.workers)]
    memory: dict[int, list[float]] = {p.pid: [] for p in workers}
    try:
        time.sleep(2.0)  # workers start (imports) before the clock does
        batch = create_batch(rt, {"urls": urls})
        started = time.perf_counter()
        while True:
            state = progress(rt, batch["id"])
            done = state["counts"]["done"] + state["counts"]["failed"]
            if done >= 500 and not memory[workers[0].pid]:
                for p in workers:
                    memory[p.pid].append(_rss_mb(p.pid))
            if state["state"] in ("done", "failed", "cancelled"):
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        for p in workers:
            memory[p.pid].append(_rss_mb(p.pid))
        assert state["counts"]["done"] == len(urls), state["counts"]
    finally:
        for p in workers:
            os.killpg(p.pid, signal.SIGTERM)
        for p in workers:
            p.wait(30)
        cleanup_rq(conn, queue, prefix)
        redis_helper.cleanup(prefix)
    return len(urls) / elapsed, {pid: (m[0], m[-1]) for pid, m in memory.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages-per-job", type=int, default=10)
    parser.add_argument("--redis-url")
    args = parser.parse_args(argv)
    os.environ.setdefault("HEALTHGEO_FETCH_ALLOW", "127.0.0.1:*")

    ctx = multiprocessing.get_context("spawn")
    here, there = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(args.pages, there), daemon=True)
    server.start()
    base_url, urls = here.recv()
    try:
        loop_rate = in_process(args, urls)
        print(f"pages: {len(urls)}  site: {base_url}")
        print(f"in-process loops: {loop_rate:.1f} pages/s ({args.workers} processes, no queue)")
        rate, memory = with_workers(args, urls)
    finally:
        here.send("stop")
        server.join(10)
    ratio = rate / loop_rate
    print(f"RQ workers: {rate:.1f} pages/s with {args.workers} workers, {args.pages_per_job} pages a job")
    print(f"workers / in-process: {ratio:.2f}  (queue overhead {100 * (1 - ratio):.0f}%, target <= 25%)")
    worst_growth = 0.0
    for pid, (at_500, at_end) in memory.items():
        growth = at_end / at_500 - 1
        worst_growth = max(worst_growth, growth)
        print(f"worker {pid}: RSS {at_500:.1f} MB at page 500, {at_end:.1f} MB at page {len(urls)} "
              f"({100 * growth:+.1f}%, target <= 10%)")
    return 0 if ratio >= 0.75 and worst_growth <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
