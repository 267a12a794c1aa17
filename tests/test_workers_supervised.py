"""The real server on a fresh machine: gunicorn on the embedded Redis starts its own batch workers and restarts
them when they die; request bodies are capped on the wire whatever their framing."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import socket
import time
from pathlib import Path

from tests.batch_helpers import FAST_ENV
from tests.conftest import fixture_html
from tests.sitesim import SimSite
from tests.test_api_gunicorn import free_port, request, start, stop, wait_ready

PAGE = fixture_html("fr_good_article.html")


def local_workers(master_pid: int) -> set[int]:
    """The `healthgeo worker` processes the gunicorn master started (its children running service.cli worker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master_pid and b"service.cli\0worker" in cmdline:
            found.add(int(entry.name))
    return found


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds} s")


def test_killed_local_workers_are_replaced_and_the_batch_ends_with_every_page_once(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with SimSite(pages=60, crawl_delay=0.01, hang_seconds=2) as site:
        env = {**FAST_ENV, "REDIS_URL": "", "HEALTHGEO_AUTH": "disabled", "HEALTHGEO_WORKERS": "1",
               "HEALTHGEO_LOCAL_WORKERS": "2", "HEALTHGEO_BATCH_RETRY_INTERVALS": "0",
               "HEALTHGEO_BATCH_HOST_INTERVAL": "0.05"}
        proc = start(env, ["--bind", f"127.0.0.1:{port}"], tmp_path)
        try:
            wait_ready(proc, base)
            first = wait_for(lambda: local_workers(proc.pid) if len(local_workers(proc.pid)) == 2 else None, 30,
                             "two local workers")
            urls = sorted(site.expected_pages)[:40]
            status, headers, body = request("POST", base + "/v1/batches", json.dumps({"urls": urls}).encode(),
                                            {"Content-Type": "application/json"})
            assert status == 202, body
            batch_url = base + headers["Location"]
            wait_for(lambda: json.loads(request("GET", batch_url)[2])["counts"]["done"] >= 5, 60, "5 pages done")

            for pid in first:  # every worker at once, mid-batch, as the OOM killer or an operator would
                os.kill(pid, signal.SIGKILL)
            replaced = wait_for(lambda: (lambda now: now if len(now) == 2 and not now & first else None)(
                local_workers(proc.pid)), 30, "two new workers")
            assert replaced.isdisjoint(first)

            batch = wait_for(lambda: (lambda b: b if b["state"] in ("done", "failed", "cancelled") else None)(
                json.loads(request("GET", batch_url)[2])), 120, "the batch to end")
            assert batch["state"] == "done", batch
            assert batch["counts"]["done"] == 40 and batch["counts"]["failed"] == 0
            status, _, body = request("GET", batch_url + "/pages?limit=1000")
            audited = [item["url"] for item in json.loads(body)["items"]]
            assert sorted(audited) == sorted(urls)  # every page, exactly once
            assert json.loads(request("GET", base + "/readyz")[2])["checks"]["batches"]["ok"] is True
        finally:
            log = stop(proc)
        assert "died" in log and "restarting it" in log
        assert not local_workers(proc.pid)


def _post_chunked(port: int, chunks: list[bytes], headers: dict[str, str]) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/v1/audits", body=iter(chunks), headers={**headers, "Transfer-Encoding": "chunked"},
                     encode_chunked=True)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    except (ConnectionResetError, BrokenPipeError):  # the server answered 413 and closed while we sent
        return 413, {}
    finally:
        conn.close()


def _raw_status(port: int, chunked_body: bytes) -> bytes:
    """The status code gunicorn answers to a hand-framed chunked request."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST /v1/audits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/html\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n" + chunked_body)
        return sock.recv(4096).split(b" ", 2)[1]


def test_gunicorn_caps_chunked_and_gzip_bodies_and_answers_an_audit_over_its_budget(tmp_path):
    """A 1 ms budget: every audit is over it, so a body the cap lets through is answered 422 audit-timeout by a
    sync worker that then goes on serving (the SIGALRM path, in a real gunicorn worker)."""
    port = free_port()
    cap = 256 * 1024
    proc = start({"REDIS_URL": "", "HEALTHGEO_AUTH": "disabled", "HEALTHGEO_WORKERS": "1",
                  "HEALTHGEO_LOCAL_WORKERS": "0", "HEALTHGEO_MAX_BODY": str(cap), "HEALTHGEO_AUDIT_BUDGET": "0.001"},
                 ["--bind", f"127.0.0.1:{port}"], tmp_path)
    try:
        wait_ready(proc, f"http://127.0.0.1:{port}")
        html = {"Content-Type": "text/html; charset=utf-8"}
        head, tail = PAGE.rsplit(b"</html>", 1)
        at_cap = head + b"\n" * (cap - len(PAGE)) + b"</html>" + tail
        over = [at_cap[:100_000]] + [b"\n" * 100_000] * 60  # 6 MB, chunked
        status, body = _post_chunked(port, over, html)
        assert status == 413, body
        assert body.get("type", "").endswith("/body-too-large") or not body
        bomb = gzip.compress(head + b" " * (50 * 1024 * 1024) + b"</html>", 9)
        status, body = _post_chunked(port, [bomb], {**html, "Content-Encoding": "gzip"})
        assert status == 413, body
        for _ in range(2):  # accepted at the cap, audited, stopped by the budget; the worker answers again
            status, body = _post_chunked(port, [at_cap[i:i + 50_000] for i in range(0, len(at_cap), 50_000)], html)
            assert status == 422 and body["type"].endswith("/audit-timeout"), body
            assert body["detail"].startswith("The page took longer than 0.001 s to audit")
        assert _raw_status(port, b"5\r\n<html\r\nzz\r\n") == b"400"  # a bad chunk size (was a 500)
        status, _, _ = request("GET", f"http://127.0.0.1:{port}/healthz")
        assert status == 200
    finally:
        log = stop(proc)
    assert "WORKER TIMEOUT" not in log and "Booting worker" in log and log.count("Booting worker") == 1
