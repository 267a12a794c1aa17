"""``/v1/batches`` routes: creation and validation, progress, pagination and filters, cancel, errors, OpenAPI.

Records are written straight into the batch store where a test only reads them (no worker needed);
cancellation runs against a real worker process.
"""

from __future__ import annotations

import time

import pytest

from service.api.app import create_app
from service.api.auth.keys import create_key
from service.batches.pages import error_record, skip_record
from tests.batch_helpers import BatchEnv
from tests.sitesim import SimSite
from tests.test_api import assert_problem, fields_of


@pytest.fixture
def client(env):
    return create_app({**env.config_overrides(), "TESTING": True}).test_client()


@pytest.fixture
def auth(env) -> dict[str, str]:
    key, _ = create_key(env.conn, "tester", env.prefix)
    return {"Authorization": f"Bearer {key}"}


def _done_record(url: str, score: float, failed: list[str]) -> dict:
    return {"url": url, "state": "done", "depth": 0, "section": "/", "final_url": url, "status": 200,
            "score": score, "grade": "C", "categories": {"sourcing": score}, "failed_checks": failed,
            "warned_checks": [], "na_checks": [], "title": f"t{score}", "h1": None, "audit_id": None,
            "error": None, "elapsed_ms": 1.0}


def _filled_batch(env: BatchEnv, client, auth, n: int = 30) -> str:
    """A batch whose n pages (scores 0, 3, 6, ...) are recorded directly; every third fails structure.title."""
    r = client.post("/v1/batches", json={"urls": [f"https://site.example/p{i}" for i in range(n)]}, headers=auth)
    batch_id = r.json["id"]
    env.rt.batches.update(batch_id, discovery_done=1, state="running")
    env.rt.batches.admit(batch_id, [(f"https://site.example/p{i}", True, None) for i in range(n)], token="t")
    for i in range(n):
        url = f"https://site.example/p{i}"
        failed = ["structure.title"] if i % 3 == 0 else []
        env.rt.batches.finish_page(batch_id, url, "done", _done_record(url, 3.0 * i, failed))
    return batch_id


def test_create_returns_202_with_location_and_progress(client, auth):
    r = client.post("/v1/batches", json={"start_url": "https://site.example/", "max_pages": 50, "max_depth": 2,
                                         "include": ["^/conditions/"], "exclude": [r"\?page="]}, headers=auth)
    assert r.status_code == 202, r.json
    batch = r.json
    assert r.headers["Location"] == f"/v1/batches/{batch['id']}"
    assert batch["state"] == "queued" and batch["mode"] == "crawl" and batch["max_pages"] == 50
    assert batch["counts"] == {"discovered": 0, "queued": 0, "running": 0, "done": 0, "failed": 0,
                               "skipped_robots": 0}
    again = client.get(r.headers["Location"], headers=auth)
    assert again.status_code == 200 and again.json["id"] == batch["id"]
    assert again.json["links"]["summary"] == f"/v1/batches/{batch['id']}/summary"


@pytest.mark.parametrize("body, field", [
    ({}, "(body)"),
    ({"sitemap_url": "https://a.example/s.xml", "urls": ["https://a.example/"]}, "(body)"),
    ({"start_url": "ftp://a.example/"}, "start_url"),
    ({"urls": []}, "urls"),
    ({"urls": ["https://a.example/"], "max_depth": 2}, "max_depth"),
    ({"start_url": "https://a.example/", "max_pages": 0}, "max_pages"),
    ({"start_url": "https://a.example/", "include": ["(unclosed"]}, "include"),
    ({"start_url": "https://a.example/", "callback_url": "https://hooks.example/x"}, "callback_secret"),
    ({"start_url": "https://a.example/", "callback_secret": "0123456789abcdef"}, "callback_secret"),
    ({"start_url": "https://a.example/", "colour": "blue"}, "colour"),
])
def test_invalid_requests_are_422_naming_the_field(client, auth, body, field):
    problem = assert_problem(client.post("/v1/batches", json=body, headers=auth), 422, "invalid-fields")
    assert field in fields_of(problem)
    french = assert_problem(client.post("/v1/batches?lang=fr", json=body, headers=auth), 422, "invalid-fields")
    said = {e["field"]: e["message"] for e in problem["errors"]}
    for error in french["errors"]:  # each field's message in French, none left in English
        assert error["message"] != said[error["field"]], error


def test_malformed_wrong_type_and_missing_key(client, auth):
    assert_problem(client.post("/v1/batches", data="{nope", content_type="application/json", headers=auth), 400,
                   "malformed-json")
    assert_problem(client.post("/v1/batches", data="x", content_type="text/plain", headers=auth), 415)
    assert_problem(client.post("/v1/batches", json={"urls": ["https://a.example/"]}), 401, "unauthenticated")
    assert_problem(client.get("/v1/batches/b_nope"), 401)


@pytest.mark.parametrize("path", ["", "/pages", "/summary", "/export.csv", "/export.jsonl", "/report"])
def test_unknown_batch_is_404(client, auth, path):
    assert_problem(client.get(f"/v1/batches/b_unknown{path}", headers=auth), 404, "batch-not-found")
    assert_problem(client.get(f"/v1/batches/bad%20id!{path}", headers=auth), 404, "batch-not-found")


def test_delete_unknown_batch_is_404(client, auth):
    assert_problem(client.delete("/v1/batches/b_unknown", headers=auth), 404, "batch-not-found")


def test_pages_are_paginated_in_order(env, client, auth):
    batch_id = _filled_batch(env, client, auth)
    seen, cursor, pages = [], 0, 0
    while cursor is not None:
        r = client.get(f"/v1/batches/{batch_id}/pages", query_string={"limit": 7, "cursor": cursor}, headers=auth)
        assert r.status_code == 200
        seen += [x["url"] for x in r.json["items"]]
        cursor = r.json["next_cursor"]
        pages += 1
        if cursor is not None:
            assert r.json["next"].startswith(f"/v1/batches/{batch_id}/pages?") and f"cursor={cursor}" in r.json["next"]
    assert seen == [f"https://site.example/p{i}" for i in range(30)] and pages == 5


def test_pages_filter_by_score_range_and_failing_check(env, client, auth):
    batch_id = _filled_batch(env, client, auth)
    r = client.get(f"/v1/batches/{batch_id}/pages", query_string={"min_score": 30, "max_score": 60}, headers=auth)
    assert [x["score"] for x in r.json["items"]] == [30.0 + 3 * i for i in range(11)]
    r = client.get(f"/v1/batches/{batch_id}/pages", query_string={"failing": "structure.title", "limit": 4},
                   headers=auth)
    assert [x["url"] for x in r.json["items"]] == [f"https://site.example/p{i}" for i in (0, 3, 6, 9)]
    second = client.get(r.json["next"], headers=auth).json  # the next link keeps the filter and the limit
    assert [x["url"] for x in second["items"]] == [f"https://site.example/p{i}" for i in (12, 15, 18, 21)]
    last = client.get(second["next"], headers=auth).json
    assert [x["url"] for x in last["items"]] == ["https://site.example/p24", "https://site.example/p27"]
    assert last["next_cursor"] is None and last["next"] is None
    none = client.get(f"/v1/batches/{batch_id}/pages", query_string={"failing": "no.such-check"}, headers=auth)
    assert none.json == {"items": [], "next_cursor": None, "next": None}


@pytest.mark.parametrize("query, field", [
    ({"limit": 0}, "limit"), ({"limit": 5000}, "limit"), ({"min_score": -1}, "min_score"),
    ({"min_score": 50, "max_score": 10}, "max_score"), ({"state": "weird"}, "state"),
])
def test_pages_query_errors_are_422(env, client, auth, query, field):
    batch_id = _filled_batch(env, client, auth, n=3)
    problem = assert_problem(client.get(f"/v1/batches/{batch_id}/pages", query_string=query, headers=auth), 422)
    assert field in fields_of(problem)


def test_progress_counts_and_summary_of_recorded_pages(env, client, auth):
    r = client.post("/v1/batches", json={"urls": ["https://s.example/a", "https://s.example/b"]}, headers=auth)
    batch_id = r.json["id"]
    store = env.rt.batches
    store.update(batch_id, state="running")
    private = "https://s.example/private"
    admitted = store.admit(batch_id, [("https://s.example/a", True, None), ("https://s.example/b", True, None),
                                      (private, False, skip_record(private, 0))], token="t")
    assert admitted == ["https://s.example/a", "https://s.example/b"]
    assert store.admit(batch_id, [("https://s.example/a", True, None)], token="t") == admitted  # a re-run
    store.page_started(batch_id, "https://s.example/a")
    progress = client.get(f"/v1/batches/{batch_id}", headers=auth).json
    assert progress["counts"] == {"discovered": 3, "queued": 1, "running": 1, "done": 0, "failed": 0,
                                  "skipped_robots": 1}
    store.update(batch_id, discovery_done=1)
    assert store.finish_page(batch_id, "https://s.example/a", "done", _done_record("https://s.example/a", 50, [])) \
        == (True, False)
    assert store.finish_page(batch_id, "https://s.example/a", "done", _done_record("https://s.example/a", 50, [])) \
        == (False, False)  # recorded once, counted once
    new, completed = store.finish_page(batch_id, "https://s.example/b", "failed",
                                       error_record("https://s.example/b", 0, "http-error", "HTTP 404", 404))
    assert new and completed
    progress = client.get(f"/v1/batches/{batch_id}", headers=auth).json
    assert progress["state"] == "done" and progress["finished_at"] and progress["eta_seconds"] == 0
    assert progress["counts"] == {"discovered": 3, "queued": 0, "running": 0, "done": 1, "failed": 1,
                                  "skipped_robots": 1}
    summary = client.get(f"/v1/batches/{batch_id}/summary", headers=auth).json
    assert summary["score"]["mean"] == 50.0 and summary["errors"] == [
        {"url": "https://s.example/b", "code": "http-error", "status": 404, "message": "the page answered HTTP 404"}]
    french = client.get(f"/v1/batches/{batch_id}/summary?lang=fr", headers=auth).json
    assert french["errors"][0]["message"] == "la page a répondu HTTP 404"
    pages = client.get(f"/v1/batches/{batch_id}/pages?state=failed", headers={**auth, "Accept-Language": "fr"})
    assert pages.json["items"][0]["error"]["message"] == "la page a répondu HTTP 404"
    french_csv = client.get(f"/v1/batches/{batch_id}/export.csv?lang=fr", headers=auth).get_data(as_text=True)
    assert "la page a répondu HTTP 404" in french_csv
    assert summary["categories"]["sourcing"] == {"mean": 50.0, "pages": 1}
    assert summary["categories"]["markup"] == {"mean": None, "pages": 0}
    csv_text = client.get(f"/v1/batches/{batch_id}/export.csv", headers=auth).get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("url,state,status,score,grade,")
    assert len(csv_text.splitlines()) == 4


def test_site_report_renders_the_summary_in_the_asked_language(env, client, auth):
    batch_id = _filled_batch(env, client, auth, n=12)
    r = client.get(f"/v1/batches/{batch_id}/report?lang=fr", headers=auth)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "Content-Security-Policy" in r.headers
    html = r.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert f"/v1/batches/{batch_id}/export.csv" in html and f"/v1/batches/{batch_id}/export.jsonl" in html
    assert "https://site.example/p0" in html  # the worst page is listed
    english = client.get(f"/v1/batches/{batch_id}/report", headers={**auth, "Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en"' in english.get_data(as_text=True)
    assert english.headers.get("Vary") == "Accept-Language"
    bad = client.get(f"/v1/batches/{batch_id}/report?lang=fr&colour=red", headers=auth)
    assert bad.status_code == 422


def test_cancel_stops_a_running_batch(env, client, auth):
    with SimSite(pages=60, crawl_delay=0.1) as site:
        env.start_worker()
        r = client.post("/v1/batches", json={"sitemap_url": site.sitemap_index_url}, headers=auth)
        batch_id = r.json["id"]
        env.wait(batch_id, until=lambda b: b["counts"]["done"] >= 3)
        r = client.delete(f"/v1/batches/{batch_id}", headers=auth)
        assert r.status_code == 200 and r.json["state"] == "cancelled" and r.json["finished_at"]
        time.sleep(1.5)  # a page in progress may still finish: wait until none is (slower on a loaded machine)
        deadline = time.monotonic() + 60
        while (env.rt.batches.running(batch_id) or not site.wait_idle(1)) and time.monotonic() < deadline:
            time.sleep(0.2)
        done = client.get(f"/v1/batches/{batch_id}", headers=auth).json["counts"]["done"]
        requests = len(site.requests)
        time.sleep(1.5)
        after = client.get(f"/v1/batches/{batch_id}", headers=auth).json
        assert after["state"] == "cancelled" and after["counts"]["done"] == done < 60
        assert len(site.requests) == requests  # nothing more is fetched
        again = client.delete(f"/v1/batches/{batch_id}", headers=auth)
        assert again.status_code == 200 and again.json["state"] == "cancelled"


def test_openapi_documents_the_batch_routes(client):
    spec = client.get("/openapi.json").json
    paths = spec["paths"]
    assert set(paths["/v1/batches/{batch_id}"]) >= {"get", "delete"}
    assert "202" in paths["/v1/batches"]["post"]["responses"]
    for path in ("/pages", "/summary", "/export.csv", "/export.jsonl", "/report"):
        assert f"/v1/batches/{{batch_id}}{path}" in paths
    assert "text/html" in paths["/v1/batches/{batch_id}/report"]["get"]["responses"]["200"]["content"]
    schemas = spec["components"]["schemas"]
    assert {"BatchRequest", "Batch", "Pages", "Summary", "BatchCounts"} <= set(schemas)
    assert "callback_secret" in schemas["BatchRequest"]["properties"]
    params = {p["name"] for p in paths["/v1/batches/{batch_id}/pages"]["get"]["parameters"] if p["in"] == "query"}
    assert {"cursor", "limit", "min_score", "max_score", "failing", "state"} <= params

