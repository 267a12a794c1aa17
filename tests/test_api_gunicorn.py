"""The real server: gunicorn with service/api/gunicorn_conf.py on a free loopback port.

The page is served by pytest-httpserver on 127.0.0.1 and fetched by the server
(``HEALTHGEO_FETCH_ALLOW=127.0.0.1``); the client is urllib.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from service.api.auth.keys import create_key
from tests import redis_helper
from tests.conftest import fixture_html

ROOT = Path(__file__).resolve().parents[1]
PAGE = fixture_html("en_good_article.html")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def start(env_extra: dict[str, str], args: list[str], tmp_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEALTHGEO_", "PROMETHEUS_"))}
    env.update({"REDIS_URL": redis_helper.redis_url(), "HEALTHGEO_DATA_DIR": str(tmp_path / "var"),
                "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "HEALTHGEO_WORKERS": "2"})
    env.update(env_extra)
    log = open(tmp_path / "gunicorn.log", "w+b")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "service/api/gunicorn_conf.py", *args, "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined]
    return proc


def output(proc: subprocess.Popen) -> str:
    proc.log.flush()  # type: ignore[attr-defined]
    proc.log.seek(0)  # type: ignore[attr-defined]
    return proc.log.read().decode("utf-8", "replace")  # type: ignore[attr-defined]


def wait_ready(proc: subprocess.Popen, base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited: {output(proc)[-2000:]}")
        try:
            if request("GET", base + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("gunicorn did not answer in time")


def stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    text = output(proc)  # access log (stdout) and the app's and gunicorn's logs (stderr)
    proc.log.close()  # type: ignore[attr-defined]
    return text


def test_gunicorn_audits_a_page_fetched_from_a_local_server(prefix, httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    httpserver.expect_request("/llms.txt").respond_with_data("not here", status=404)
    httpserver.expect_request("/article").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    r = redis_helper.client()
    key, _ = create_key(r, "gunicorn-test", prefix)
    r.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start({"HEALTHGEO_KEY_PREFIX": prefix, "HEALTHGEO_FETCH_ALLOW": "127.0.0.1:*"},
                 ["--bind", f"127.0.0.1:{port}"], tmp_path)
    try:
        wait_ready(proc, base)
        auth = {"Authorization": f"Bearer {key}"}
        page_url = f"http://127.0.0.1:{httpserver.port}/article"
        status, headers, body = request("POST", base + "/v1/audits",
                                        json.dumps({"url": page_url, "fail_under": 10}).encode(),
                                        {**auth, "Content-Type": "application/json", "X-Request-ID": "gu-1"})
        assert status == 201, body[:500]
        report = json.loads(body)
        assert report["url"] == page_url and report["source"] == "url" and report["passed"] is True
        assert headers["X-Request-ID"] == "gu-1"
        assert [req.path for req, _ in httpserver.log].count("/article") == 1
        assert "/robots.txt" in [req.path for req, _ in httpserver.log]

        status, _, body = request("GET", base + headers["Location"], headers=auth)
        assert status == 200 and json.loads(body)["id"] == report["id"]

        # raw HTML, twice: the second is a cache hit, whichever worker answers
        for expected in (201, 200):
            status, headers, body = request("POST", base + "/v1/audits?include=checks", PAGE,
                                            {**auth, "Content-Type": "text/html"})
            assert status == expected, body[:300]

        status, headers, body = request("GET", base + "/v1/checks")
        assert status == 401 and headers["Content-Type"] == "application/problem+json"
        status, _, body = request("GET", base + "/readyz")
        assert status == 200 and json.loads(body)["ready"] is True

        for _ in range(6):
            request("GET", base + "/healthz")
        status, _, body = request("GET", base + "/metrics")
        text = body.decode()
        assert status == 200
        total = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                    if line.startswith('healthgeo_http_requests_total{endpoint="/healthz"'))
        assert total >= 6  # multiprocess mode: every worker's counts, not one worker's
        assert 'healthgeo_audit_cache_total{result="hit"} 1.0' in text
    finally:
        err = stop(proc)
    access = [json.loads(line) for line in err.splitlines() if line.startswith("{")
              and '"gunicorn.access"' in line]
    assert any(a["request_id"] == "gu-1" and a["status"] == 201 and a["path"] == "/v1/audits" for a in access)
    assert key not in err


def test_gunicorn_refuses_auth_disabled_on_a_public_bind(tmp_path):
    port = free_port()
    proc = start({"HEALTHGEO_AUTH": "disabled"}, ["--bind", f"0.0.0.0:{port}"], tmp_path)
    try:
        proc.wait(timeout=30)
    finally:
        err = stop(proc)
    assert proc.returncode != 0
    assert "HEALTHGEO_AUTH=disabled is only allowed" in err


def test_gunicorn_on_the_embedded_redis_runs_batches_with_its_own_workers(tmp_path):
    """A fresh machine: no REDIS_URL, so the server starts the embedded Redis and two batch workers."""
    from tests.batch_helpers import FAST_ENV
    from tests.sitesim import SimSite

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with SimSite(pages=20, crawl_delay=0.01, hang_seconds=2) as site:
        proc = start({**FAST_ENV, "REDIS_URL": "", "HEALTHGEO_AUTH": "disabled", "HEALTHGEO_WORKERS": "1"},
                     ["--bind", f"127.0.0.1:{port}"], tmp_path)
        try:
            wait_ready(proc, base)
            urls = sorted(site.expected_pages)[:6]
            status, headers, body = request("POST", base + "/v1/batches", json.dumps({"urls": urls}).encode(),
                                            {"Content-Type": "application/json"})
            assert status == 202, body
            batch_url = base + headers["Location"]
            deadline = time.monotonic() + 90
            batch = {}
            while time.monotonic() < deadline:
                batch = json.loads(request("GET", batch_url)[2])
                if batch["state"] in ("done", "failed", "cancelled"):
                    break
                time.sleep(0.3)
            assert batch["state"] == "done", batch
            assert batch["counts"]["done"] == 6  # only the server's own workers serve this embedded Redis
        finally:
            stop(proc)
    assert (tmp_path / "var" / "healthgeo.aof").exists() or (tmp_path / "var" / "appendonlydir").exists()
