"""Tenants kept apart: every audit and batch belongs to the tenant of the key that made it.

Another tenant's key gets 404 on every route, exactly as for an id that does not exist, the cache
included; admin keys see everything; scopes give 403; failed authentications are limited per client
address.  Real Redis (tests/redis_helper.py); nothing reaches the internet.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from service.api.app import create_app
from service.api.auth.keys import create_key, hash_key, list_keys
from service.api.auth.tenants import own_tenant
from tests.conftest import fixture_html
from tests.test_api import assert_problem

PAGE_EN = fixture_html("en_good_article.html").decode("utf-8")
PAGE_FR = fixture_html("fr_good_article.html").decode("utf-8")


@pytest.fixture
def make_client(env):
    def make(**overrides):
        return create_app({**env.config_overrides(), "TESTING": True, **overrides}).test_client()

    return make


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def keys(env) -> dict[str, dict[str, str]]:
    """Authorization headers: two tenants, a second key of the first tenant, an admin, one-scope keys."""
    def bearer(name: str, **kw) -> dict[str, str]:
        key, _ = create_key(env.conn, name, env.prefix, **kw)
        return {"Authorization": f"Bearer {key}"}

    return {"a": bearer("clinic-seo", tenant="clinic"), "a2": bearer("clinic-cms", tenant="clinic"),
            "b": bearer("pharmacy-seo"), "admin": bearer("operator", scopes=["admin"]),
            "audit_only": bearer("cms-plugin", scopes=["audit"]), "batch_only": bearer("crawler", scopes=["batch"])}


def _same_404(resp, other) -> None:
    """``resp`` (another tenant's id) answers exactly as ``other`` (an id that never existed)."""
    body = assert_problem(resp, 404)
    unknown = assert_problem(other, 404)
    assert body["type"] == unknown["type"] and body["title"] == unknown["title"]
    assert set(body) == set(unknown)


# --------------------------------------------------------------------------- audits


def test_another_tenants_audit_does_not_exist(client, keys):
    created = client.post("/v1/audits", json={"html": PAGE_EN}, headers=keys["a"])
    assert created.status_code == 201
    audit_id = created.json["id"]
    for path in (f"/v1/audits/{audit_id}", f"/v1/audits/{audit_id}/report", f"/v1/audits/{audit_id}/report?lang=fr"):
        _same_404(client.get(path, headers=keys["b"]), client.get(path.replace(audit_id, "a_never"), headers=keys["b"]))
        assert client.get(path, headers=keys["a"]).status_code == 200, path
        assert client.get(path, headers=keys["a2"]).status_code == 200, "same tenant, another key"
        assert client.get(path, headers=keys["admin"]).status_code == 200, "admin sees every tenant"


def test_identical_content_gives_another_tenant_its_own_id_and_time(client, keys, monkeypatch):
    first = client.post("/v1/audits", json={"html": PAGE_FR}, headers=keys["a"])
    assert first.status_code == 201
    import service.audits.service as audit_service

    later = datetime(2031, 5, 4, 3, 2, 1, tzinfo=UTC)
    monkeypatch.setattr(audit_service, "_now", lambda: later)
    second = client.post("/v1/audits", json={"html": PAGE_FR}, headers=keys["b"])
    # exactly what a first audit looks like: nothing says the content was seen before
    assert second.status_code == 201 and second.headers["X-Healthgeo-Cache"] == "miss"
    assert second.json["cache"] == {"enabled": True, "hit": False, "stored": True}
    assert second.json["id"] != first.json["id"]
    assert second.json["created_at"] == "2031-05-04T03:02:01Z" != first.json["created_at"]
    assert second.headers["Location"] == f"/v1/audits/{second.json['id']}"
    assert second.json["score"] == first.json["score"] and second.json["checks"] == first.json["checks"]
    # each tenant then hits its own audit, and only its own
    again_b = client.post("/v1/audits", json={"html": PAGE_FR}, headers=keys["b"])
    assert again_b.status_code == 200 and again_b.json["id"] == second.json["id"]
    again_a = client.post("/v1/audits", json={"html": PAGE_FR}, headers=keys["a2"])
    assert again_a.status_code == 200 and again_a.json["id"] == first.json["id"]
    assert again_a.json["created_at"] == first.json["created_at"]
    assert client.get(f"/v1/audits/{second.json['id']}", headers=keys["a"]).status_code == 404


def test_audits_stored_before_tenants_are_for_admins_only(client, keys, env):
    env.conn.set(f"{env.prefix}:audit:a_legacy", json.dumps({"id": "a_legacy", "score": 50}))
    assert_problem(client.get("/v1/audits/a_legacy", headers=keys["a"]), 404)
    assert client.get("/v1/audits/a_legacy", headers=keys["admin"]).json["score"] == 50


def test_keys_stored_before_tenants_keep_working_as_their_own_tenant(client, keys, env):
    legacy = "hg_legacy-key-made-before-tenants-existed-0123456789"
    env.conn.hset(f"{env.prefix}:key:{hash_key(legacy)}", mapping={"name": "old", "created": "2026-01-01T00:00:00Z",
                                                                    "prefix": legacy[:10]})
    headers = {"Authorization": f"Bearer {legacy}"}
    created = client.post("/v1/audits", json={"html": PAGE_EN}, headers=headers)
    assert created.status_code == 201
    assert client.post("/v1/batches", json={"urls": ["https://site.example/a"]}, headers=headers).status_code == 202
    assert client.get(f"/v1/audits/{created.json['id']}", headers=keys["b"]).status_code == 404
    record = next(rec for rec in list_keys(env.conn, env.prefix) if rec["name"] == "old")
    assert record["tenant"] == own_tenant(hash_key(legacy)) and record["scopes"] == "audit batch"


# --------------------------------------------------------------------------- batches


def _batch_with_a_page(env, client, headers) -> str:
    """A batch of one audited page (its record written the way a worker writes it)."""
    from service.batches.pages import page_record

    created = client.post("/v1/batches", json={"urls": ["https://clinic.example/asthma"]}, headers=headers)
    assert created.status_code == 202, created.json
    batch_id = created.json["id"]
    audit = client.post("/v1/audits", json={"html": PAGE_EN, "url": "https://clinic.example/asthma"}, headers=headers)
    env.rt.batches.update(batch_id, discovery_done=1, state="running")
    env.rt.batches.admit(batch_id, [("https://clinic.example/asthma", True, None)], token="t")
    record = page_record("https://clinic.example/asthma", 0, audit.json, audit_id=audit.json["id"],
                         fetch={"final_url": "https://clinic.example/asthma", "status": 200})
    env.rt.batches.finish_page(batch_id, "https://clinic.example/asthma", "done", record)
    return batch_id


BATCH_ROUTES = ("", "/pages", "/pages?state=done", "/summary", "/report", "/report?lang=fr", "/export.csv",
                "/export.jsonl")


def test_another_tenants_batch_does_not_exist_on_any_route(env, client, keys):
    batch_id = _batch_with_a_page(env, client, keys["a"])
    for suffix in BATCH_ROUTES:
        path = f"/v1/batches/{batch_id}{suffix}"
        _same_404(client.get(path, headers=keys["b"]),
                  client.get(path.replace(batch_id, "b_never0000000000"), headers=keys["b"]))
        assert client.get(path, headers=keys["a2"]).status_code == 200, path
        assert client.get(path, headers=keys["admin"]).status_code == 200, path
    assert "clinic.example/asthma" in client.get(f"/v1/batches/{batch_id}/export.csv", headers=keys["a"]).text
    # DELETE by another tenant: 404, and the batch runs on
    _same_404(client.delete(f"/v1/batches/{batch_id}", headers=keys["b"]),
              client.delete("/v1/batches/b_never0000000000", headers=keys["b"]))
    assert client.get(f"/v1/batches/{batch_id}", headers=keys["a"]).json["state"] == "done"
    assert env.rt.batches.meta(batch_id)["owner"] == "clinic"


def test_cancel_by_the_owner_still_works(env, client, keys):
    batch_id = client.post("/v1/batches", json={"urls": ["https://clinic.example/a"]}, headers=keys["a"]).json["id"]
    assert client.delete(f"/v1/batches/{batch_id}", headers=keys["b"]).status_code == 404
    assert env.rt.batches.state(batch_id) == "queued"
    cancelled = client.delete(f"/v1/batches/{batch_id}", headers=keys["a2"])
    assert cancelled.status_code == 200 and cancelled.json["state"] == "cancelled"


def test_batch_pages_are_audited_for_the_batch_owner(env, client, keys, httpserver):
    from service.batches.jobs import run_pages

    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    httpserver.expect_request("/asthme").respond_with_data(PAGE_FR, content_type="text/html; charset=utf-8")
    url = httpserver.url_for("/asthme")
    batch_id = client.post("/v1/batches", json={"urls": [url]}, headers=keys["b"]).json["id"]
    run_pages(env.rt, batch_id, [[url, 0]])
    audit_id = client.get(f"/v1/batches/{batch_id}/pages", headers=keys["b"]).json["items"][0]["audit_id"]
    assert client.get(f"/v1/audits/{audit_id}", headers=keys["b"]).status_code == 200
    assert client.get(f"/v1/audits/{audit_id}", headers=keys["a"]).status_code == 404


def test_batches_stored_before_tenants_are_for_admins_only(env, client, keys):
    batch_id = client.post("/v1/batches", json={"urls": ["https://clinic.example/a"]}, headers=keys["a"]).json["id"]
    env.conn.hdel(env.rt.batches.key(batch_id), "owner")
    assert client.get(f"/v1/batches/{batch_id}", headers=keys["a"]).status_code == 404
    assert client.get(f"/v1/batches/{batch_id}", headers=keys["admin"]).status_code == 200


def test_with_auth_disabled_everything_belongs_to_the_local_tenant(env, make_client):
    client = make_client(AUTH="disabled")
    audit = client.post("/v1/audits", json={"html": PAGE_EN})
    assert audit.status_code == 201 and client.get(f"/v1/audits/{audit.json['id']}").status_code == 200
    batch = client.post("/v1/batches", json={"urls": ["https://site.example/"]})
    assert batch.status_code == 202 and client.get(f"/v1/batches/{batch.json['id']}/summary").status_code == 200
    assert env.rt.batches.meta(batch.json["id"])["owner"] == "local"


# --------------------------------------------------------------------------- scopes


def test_scopes_gate_the_routes(client, keys):
    body = assert_problem(client.post("/v1/batches", json={"urls": ["https://site.example/"]},
                                      headers=keys["audit_only"]), 403, "insufficient-scope")
    assert "batch" in body["detail"]
    r = client.get("/v1/batches/b_anything", headers=keys["audit_only"])
    assert_problem(r, 403, "insufficient-scope")
    assert 'error="insufficient_scope"' in r.headers["WWW-Authenticate"] and 'scope="batch"' in r.headers[
        "WWW-Authenticate"]
    assert client.post("/v1/audits", json={"html": PAGE_EN}, headers=keys["audit_only"]).status_code == 201
    assert_problem(client.post("/v1/audits", json={"html": PAGE_EN}, headers=keys["batch_only"]), 403,
                   "insufficient-scope")
    assert_problem(client.get("/v1/audits/a_x", headers=keys["batch_only"]), 403, "insufficient-scope")
    assert client.post("/v1/batches", json={"urls": ["https://site.example/"]},
                       headers=keys["batch_only"]).status_code == 202
    for who in ("audit_only", "batch_only", "admin"):
        assert client.get("/v1/checks", headers=keys[who]).status_code == 200


def test_scope_problem_in_french(client, keys):
    r = client.post("/v1/batches", json={"urls": ["https://site.example/"]},
                    headers={**keys["audit_only"], "Accept-Language": "fr-FR,fr;q=0.9"})
    body = assert_problem(r, 403, "insufficient-scope")
    assert body["title"] == "Droits insuffisants" and "« batch »" in body["detail"]
    assert r.headers["Content-Language"] == "fr"


def test_key_creation_refuses_unknown_scopes_and_bad_tenants(env):
    from service.api.auth.keys import KeyAdminError

    with pytest.raises(KeyAdminError, match="scope"):
        create_key(env.conn, "x", env.prefix, scopes=["root"])
    with pytest.raises(KeyAdminError, match="tenant"):
        create_key(env.conn, "y", env.prefix, tenant="two words")
    _, record = create_key(env.conn, "z", env.prefix)
    assert record["tenant"].startswith("key-") and record["scopes"] == "audit batch"


def test_keys_cli_creates_a_key_for_a_tenant_with_scopes(env, monkeypatch, capsys):
    from service.cli.main import main

    monkeypatch.setenv("REDIS_URL", env.redis_url)
    monkeypatch.setenv("HEALTHGEO_KEY_PREFIX", env.prefix)
    assert main(["keys", "create", "--name", "ops", "--tenant", "agency", "--scope", "admin"]) == 0
    assert "tenant “agency”" in capsys.readouterr().err
    assert main(["keys", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"name": "ops", "tenant": "agency", "scopes": "admin"}.items() <= listed[0].items()
    with pytest.raises(SystemExit):
        main(["keys", "create", "--name", "bad", "--scope", "root"])


# --------------------------------------------------------------------------- failed authentications


def test_failed_authentications_are_limited_per_client_address(make_client, keys):
    client = make_client(AUTH_FAIL_LIMIT="3/minute")
    bad = {"Authorization": "Bearer hg_guessed-key"}
    for _ in range(3):
        assert_problem(client.get("/v1/checks", headers=bad), 401, "invalid-key")
    r = client.get("/v1/checks", headers=bad)
    body = assert_problem(r, 429, "auth-rate-limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60 and "3 per 1 minute" in body["detail"]
    # the address is refused whatever it sends, so guessing gains nothing; other addresses are not affected
    assert_problem(client.get("/v1/checks", headers=keys["a"]), 429, "auth-rate-limited")
    assert_problem(client.get("/v1/audits/a_x"), 429, "auth-rate-limited")
    other = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.get("/v1/checks", headers=keys["a"], environ_base=other).status_code == 200
    assert_problem(client.get("/v1/checks", headers=bad, environ_base=other), 401)
    assert client.get("/healthz").status_code == 200


def test_failed_authentications_below_the_limit_and_successes_do_not_count(make_client, keys):
    client = make_client(AUTH_FAIL_LIMIT="3/minute")
    for _ in range(5):
        assert client.get("/v1/checks", headers=keys["a"]).status_code == 200
    for _ in range(2):
        assert_problem(client.get("/v1/checks"), 401, "unauthenticated")
    assert client.get("/v1/checks", headers=keys["a"]).status_code == 200  # 2 failures: under the limit of 3
    r = client.get("/v1/checks", headers={"Authorization": "Bearer nope", "Accept-Language": "fr"})
    assert_problem(r, 401)
    r = client.get("/v1/checks", headers={"Accept-Language": "fr"})
    assert assert_problem(r, 429, "auth-rate-limited")["title"] == "Trop d’authentifications échouées"
