"""A whole-site batch end to end: the API, two real worker processes, the generated site (tests/sitesim.py).

One batch over the 520-page site's sitemap index is run once for the module; the tests read its results.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from service.api.app import create_app
from service.batches.webhook import SIGNATURE_HEADER, verify
from tests import redis_helper
from tests.batch_helpers import BatchEnv

SECRET = "a-test-secret-of-some-length"


@pytest.fixture(scope="module")
def hook():
    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.start()
    srv.expect_request("/hook", method="POST").respond_with_response(Response("ok"))
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture(scope="module")
def run(sim_site, hook):
    """The batch, run through the API with two workers; yields (env, client, batch id, final progress)."""
    env = BatchEnv(redis_helper.redis_url())
    try:
        app = create_app({**env.config_overrides(), "AUTH": "disabled", "TESTING": True})
        client = app.test_client()
        sim_site.reset_log()
        env.start_worker()
        env.start_worker()
        r = client.post("/v1/batches", json={"sitemap_url": sim_site.sitemap_index_url,
                                             "callback_url": hook.url_for("/hook"), "callback_secret": SECRET})
        assert r.status_code == 202, r.json
        batch_id = r.json["id"]
        assert r.headers["Location"] == f"/v1/batches/{batch_id}"
        final = env.wait(batch_id, timeout=240)
        env.wait(batch_id, timeout=30, until=lambda b: b.get("webhook") is not None)
        yield env, client, batch_id, final
    finally:
        env.close()


def _records(client, batch_id, **query):
    items, cursor = [], 0
    while cursor is not None:
        r = client.get(f"/v1/batches/{batch_id}/pages", query_string={**query, "cursor": cursor, "limit": 200})
        assert r.status_code == 200, r.json
        items += r.json["items"]
        cursor = r.json["next_cursor"]
    return items


def test_every_allowed_page_is_audited_exactly_once(run, sim_site):
    env, client, batch_id, final = run
    assert final["state"] == "done"
    records = _records(client, batch_id)
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls))
    done = {r["url"] for r in records if r["state"] == "done"}
    assert done == sim_site.expected_pages
    assert final["counts"]["done"] == len(sim_site.expected_pages) >= 500
    fetched = Counter(path for path in sim_site.requested_paths())
    assert all(fetched[url[len(sim_site.base_url):]] == 1 for url in sim_site.expected_pages)
    assert all(r["audit_id"] and r["score"] is not None for r in records if r["state"] == "done")


def test_no_disallowed_url_is_ever_requested(run, sim_site):
    env, client, batch_id, final = run
    requested = sim_site.requested_paths()
    assert "/robots.txt" in requested
    assert not [p for p in requested if p.startswith("/private/")]
    skipped = {r["url"] for r in _records(client, batch_id, state="skipped_robots")}
    assert skipped == sim_site.disallowed_urls
    assert final["counts"]["skipped_robots"] == len(sim_site.disallowed_urls)


def test_each_error_is_recorded_on_its_page(run, sim_site):
    env, client, batch_id, final = run
    failed = {r["url"]: r for r in _records(client, batch_id, state="failed")}
    assert set(failed) == set(sim_site.error_urls)
    for url, code in sim_site.error_urls.items():
        assert failed[url]["error"]["code"] == code, failed[url]
        assert failed[url]["error"]["status"] == sim_site.error_statuses[url], failed[url]
    assert final["counts"]["failed"] == len(sim_site.error_urls)
    # 5xx and timeouts were retried (RQ Retry), a 404 never
    fetched = Counter(sim_site.requested_paths())
    for url, status in sim_site.error_statuses.items():
        path = url[len(sim_site.base_url):]
        if status == 404:
            assert fetched[path] == 1, path
        elif status in (500, None):
            assert fetched[path] == 3, (path, fetched[path])


def test_summary_figures_match_the_page_results(run, sim_site):
    env, client, batch_id, final = run
    r = client.get(f"/v1/batches/{batch_id}/summary")
    assert r.status_code == 200
    summary = r.json
    records = _records(client, batch_id)
    audited = [x for x in records if x["state"] == "done"]
    scores = [x["score"] for x in audited]
    assert summary["batch_id"] == batch_id and summary["state"] == "done" and summary["mode"] == "sitemap"
    assert summary["counts"] == final["counts"]
    assert summary["score"]["mean"] == round(statistics.mean(scores), 1)
    assert summary["score"]["median"] == round(statistics.median(scores), 1)
    assert sum(b["count"] for b in summary["score"]["histogram"]) == len(audited)
    assert len(summary["score"]["histogram"]) == 10 and summary["score"]["histogram"][-1]["to"] == 100
    assert sum(summary["score"]["grades"].values()) == len(audited)
    assert Counter(x["grade"] for x in audited) == {g: n for g, n in summary["score"]["grades"].items() if n}
    for check in summary["checks"]:
        failing = [x["url"] for x in audited if check["id"] in x["failed_checks"]]
        assert check["failed"] == len(failing)
        assert set(check["pages"]) <= set(failing) and len(check["pages"]) == min(20, len(failing))
    ranked = [(-c["failed"], -c["warned"]) for c in summary["checks"]]
    assert ranked == sorted(ranked)
    worst = sorted(audited, key=lambda x: x["score"])[:20]
    assert [w["score"] for w in summary["worst_pages"]] == [w["score"] for w in worst]
    assert sum(s["pages"] for s in summary["sections"]) == len(audited)
    assert sum(s["failed"] for s in summary["sections"]) == len(sim_site.error_urls)
    assert {e["url"] for e in summary["errors"]} == set(sim_site.error_urls)
    site = summary["site"]
    assert site["llms_txt"] is True and site["robots"]["basis"] == "parsed"
    assert "GPTBot" in site["robots"]["disallowed_agents"]
    assert site["sitemaps"][0]["kind"] == "index" and all(s["error"] is None for s in site["sitemaps"])
    assert {d["title"]: set(d["urls"]) for d in site["duplicate_titles"]} == sim_site.duplicate_titles()
    assert {d["h1"]: set(d["urls"]) for d in site["duplicate_h1"]} == sim_site.duplicate_h1()
    assert summary["exports"] == {"csv": f"/v1/batches/{batch_id}/export.csv",
                                  "jsonl": f"/v1/batches/{batch_id}/export.jsonl"}


def test_csv_and_jsonl_exports_are_complete(run, sim_site):
    env, client, batch_id, final = run
    records = {r["url"]: r for r in _records(client, batch_id)}
    r = client.get(f"/v1/batches/{batch_id}/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.is_streamed
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert len(rows) == len(records)
    for row in rows:
        record = records[row["url"]]
        assert row["state"] == record["state"]
        if record["state"] == "done":
            assert float(row["score"]) == record["score"] and row["grade"] == record["grade"]
            assert row["top_failed_checks"].split() == record["failed_checks"][:5]
            assert float(row["sourcing_score"]) == record["categories"]["sourcing"]
    r = client.get(f"/v1/batches/{batch_id}/export.jsonl")
    assert r.status_code == 200 and r.is_streamed
    lines = [json.loads(line) for line in r.get_data(as_text=True).splitlines()]
    assert len(lines) == len(records)
    for line in lines:
        record = line["batch"]
        if record["state"] == "done":
            assert line["id"] == record["audit_id"] and line["score"] == record["score"]
            assert {"checks", "facts", "fix", "categories"} <= set(line)


def test_webhook_posts_the_signed_summary(run, hook):
    env, client, batch_id, final = run
    calls = [req for req, _resp in hook.log if req.path == "/hook"]
    assert len(calls) == 1
    request = calls[0]
    body = request.get_data()
    assert verify(body, SECRET, request.headers.get(SIGNATURE_HEADER))
    assert not verify(body, "another-secret-entirely", request.headers.get(SIGNATURE_HEADER))
    payload = json.loads(body)
    assert payload["batch_id"] == batch_id and payload["state"] == "done"
    assert payload["counts"] == final["counts"]
    status = client.get(f"/v1/batches/{batch_id}").json
    assert status["webhook"]["delivered"] is True
