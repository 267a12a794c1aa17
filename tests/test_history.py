"""Progress over time through the API: a page audited, edited, audited again; history per tenant; rules changes.

Real Redis (tests/redis_helper.py); pages are sent as HTML with their URL, so nothing is fetched.
"""

from __future__ import annotations

import json
import time

import pytest

from service.api.app import create_app
from service.api.auth.keys import create_key
from tests.batch_helpers import BatchEnv
from tests.test_compare import GOOD, URL, _changed, _without_reviewer


@pytest.fixture
def client(env):
    return create_app({**env.config_overrides(), "TESTING": True}).test_client()


@pytest.fixture
def keys(env) -> dict[str, dict[str, str]]:
    def bearer(name: str, **kw) -> dict[str, str]:
        key, _ = create_key(env.conn, name, env.prefix, **kw)
        return {"Authorization": f"Bearer {key}"}

    return {"a": bearer("clinic-seo", tenant="clinic"), "b": bearer("pharmacy-seo", tenant="pharmacy")}


def _audit(client, html: str, headers, **query) -> dict:
    resp = client.post("/v1/audits", json={"html": html, "url": URL}, headers=headers, query_string=query)
    assert resp.status_code == 201, resp.json
    return resp.json


@pytest.fixture
def two_audits(client, keys):
    first = _audit(client, _without_reviewer(GOOD), keys["a"])
    second = _audit(client, _changed(GOOD), keys["a"])
    return first, second


def test_the_first_audit_of_a_page_is_compared_with_nothing(client, keys):
    first = _audit(client, _without_reviewer(GOOD), keys["a"])
    assert first["compared_to"] is None and first["changes"] is None


def test_an_edited_page_says_each_change_in_the_api(two_audits):
    first, second = two_audits
    assert second["compared_to"] == first["id"]
    changes = second["changes"]
    codes = {c["code"]: c for c in changes["facts"]}
    assert codes["reviewers-added"]["params"]["name"] == "Paul Smith"
    assert codes["citations-removed"]["params"]["count"] == 2
    assert "markup.jsonld-syntax" in changes["checks"]["started_failing"]
    assert changes["score"] == {"before": first["score"], "after": second["score"],
                                "delta": round(second["score"] - first["score"], 1)}
    assert changes["rules_changed"] is False and changes["rescored"] is None
    assert changes["compared_at"] == first["created_at"]
    assert "Medical reviewer added: Paul Smith." in changes["lines"]


def test_the_changes_read_in_french_and_come_back_with_the_stored_audit(client, keys, two_audits):
    _, second = two_audits
    stored = client.get(f"/v1/audits/{second['id']}?lang=fr", headers=keys["a"]).json
    assert stored["compared_to"] == second["compared_to"]
    assert "Relecteur médical ajouté\u00a0: Paul Smith." in stored["changes"]["lines"]
    assert "2 sources de référence perdues." in stored["changes"]["lines"]


def test_page_history_lists_the_audits_newest_first(client, keys, two_audits):
    first, second = two_audits
    body = client.get("/v1/pages/history", query_string={"url": URL}, headers=keys["a"]).json
    assert body["url"] == URL
    assert [e["id"] for e in body["items"]] == [second["id"], first["id"]]
    newest = body["items"][0]
    assert newest["score"] == second["score"] and newest["grade"] == second["grade"]
    assert newest["rules_version"] == second["rules_version"] and newest["created_at"] == second["created_at"]
    assert newest["compared_to"] == first["id"] and newest["score_delta"] == second["changes"]["score"]["delta"]


def test_another_tenant_sees_neither_the_history_nor_the_comparison(client, keys, two_audits):
    first, _ = two_audits
    assert client.get("/v1/pages/history", query_string={"url": URL}, headers=keys["b"]).json["items"] == []
    # the same page audited by the other tenant starts its own history: nothing of the first tenant's shows
    other = _audit(client, _without_reviewer(GOOD), keys["b"])
    assert other["compared_to"] is None and other["changes"] is None
    again = _audit(client, _changed(GOOD), keys["b"])
    assert again["compared_to"] == other["id"] != first["id"]
    listed = client.get("/v1/pages/history", query_string={"url": URL}, headers=keys["b"]).json["items"]
    assert [e["id"] for e in listed] == [again["id"], other["id"]]


def test_history_needs_a_url_and_a_key(client, keys):
    assert client.get("/v1/pages/history", headers=keys["a"]).status_code == 422
    assert client.get("/v1/pages/history", query_string={"url": "ftp://x"}, headers=keys["a"]).status_code == 422
    assert client.get("/v1/pages/history", query_string={"url": URL}).status_code == 401


def test_a_rules_change_between_two_audits_is_said_and_the_old_facts_are_rescored(client, keys, env):
    first = _audit(client, _without_reviewer(GOOD), keys["a"])
    # the stored history entry of the first audit was made under other rules
    entries = f"{env.prefix}:history:clinic:*:entries"
    (key,) = list(env.conn.scan_iter(match=entries))
    snapshot = json.loads(env.conn.hget(key, first["id"]))
    snapshot["rules_version"] = "2025.01+000000000000"
    snapshot["score"] = 12.0  # what the old rules gave: not comparable with today's
    env.conn.hset(key, first["id"], json.dumps(snapshot))
    second = _audit(client, _changed(GOOD), keys["a"])
    changes = second["changes"]
    assert changes["rules_changed"] is True
    assert changes["rules_version"] == {"before": "2025.01+000000000000", "after": second["rules_version"]}
    rescored = changes["rescored"]
    assert rescored["score_before"] == 12.0
    assert rescored["score_rescored"] == changes["score"]["before"] != 12.0  # like with like
    assert "authorship.reviewer-named" in rescored["rescored"]
    assert "markup.jsonld-syntax" in rescored["kept"]  # it reads the page's JSON-LD blocks, not the facts
    assert any(line.startswith("The rules changed between the two audits") for line in changes["lines"])
    assert any(line.startswith("The previous audit was re-scored") for line in changes["lines"])


def test_history_keeps_the_last_entries_of_a_page_only(env, keys):
    client = create_app({**env.config_overrides(), "TESTING": True, "HISTORY_MAX": 2}).test_client()
    ids = [_audit(client, GOOD.replace("</h1>", f" {n}</h1>", 1), keys["a"])["id"] for n in range(3)]
    listed = client.get("/v1/pages/history", query_string={"url": URL}, headers=keys["a"]).json["items"]
    assert [e["id"] for e in listed] == [ids[2], ids[1]]
    (key,) = list(env.conn.scan_iter(match=f"{env.prefix}:history:clinic:*:entries"))
    assert env.conn.hlen(key) == 2
    assert env.conn.ttl(key) > 30 * 24 * 3600  # longer than the stored audits


@pytest.mark.parametrize(("lang", "heading", "reviewer", "citations"), [
    ("en", "Since the last audit", "Medical reviewer added: Paul Smith.", "2 authoritative citations lost."),
    ("fr", "Depuis le dernier audit", "Relecteur médical ajouté\u00a0: Paul Smith.", "2 sources de référence perdues."),
])
def test_the_page_report_opens_with_the_changes(client, keys, two_audits, lang, heading, reviewer, citations):
    first, second = two_audits
    html = client.get(f"/v1/audits/{second['id']}/report", query_string={"lang": lang}, headers=keys["a"]).text
    since = html.index('id="since-last"')
    assert since < html.index('id="summary"'), "the changes come first"
    section = html[since:html.index("</section>", since)]
    assert heading in section and first["id"] in section
    assert reviewer in section and citations in section
    now_failing = "Now failing: JSON-LD parses without errors." if lang == "en" else "Désormais en échec"
    assert now_failing in section
    first_html = client.get(f"/v1/audits/{first['id']}/report", query_string={"lang": lang}, headers=keys["a"]).text
    assert 'id="since-last"' not in first_html


def test_history_survives_a_redis_restart(tmp_path):
    from tests.test_batches_faults import OwnRedis

    server = OwnRedis(tmp_path)
    server.start()
    env = BatchEnv(server.url)
    try:
        client = create_app({**env.config_overrides(), "AUTH": "disabled", "TESTING": True}).test_client()
        first = client.post("/v1/audits", json={"html": _without_reviewer(GOOD), "url": URL}).json
        server.stop()
        server.start()
        second = client.post("/v1/audits", json={"html": _changed(GOOD), "url": URL})
        deadline = time.monotonic() + 60  # the store's breaker may still be open for a moment after the restart
        while second.json["compared_to"] is None and time.monotonic() < deadline:
            time.sleep(0.5)
            second = client.post("/v1/audits", json={"html": _changed(GOOD).replace("</h1>", " </h1>", 1), "url": URL})
        assert second.json["compared_to"] == first["id"]
    finally:
        env.close()
        server.stop()


@pytest.mark.parametrize(("env_vars", "fragment"), [
    ({"HEALTHGEO_RETENTION": "30d", "HEALTHGEO_HISTORY_RETENTION": "29d"}, "HISTORY_RETENTION must be at least"),
    ({"HEALTHGEO_HISTORY_MAX": "1"}, "between 2 and 1000"),
    ({"HEALTHGEO_HISTORY_MAX": "1001"}, "between 2 and 1000"),
    ({"HEALTHGEO_HISTORY_MAX": "many"}, "not a whole number"),
])
def test_history_settings_are_checked(env_vars, fragment):
    from service.config.errors import ConfigError
    from service.config.settings import load_config

    with pytest.raises(ConfigError, match=fragment):
        load_config(env_vars)


def test_history_settings_at_their_bounds():
    from service.config.settings import load_config

    cfg = load_config({"HEALTHGEO_RETENTION": "30d", "HEALTHGEO_HISTORY_RETENTION": "30d",
                       "HEALTHGEO_HISTORY_MAX": "2"})
    assert cfg["HISTORY_RETENTION"] == 30 * 86400 and cfg["HISTORY_MAX"] == 2
    assert load_config({"HEALTHGEO_HISTORY_MAX": "1000"})["HISTORY_MAX"] == 1000
    assert load_config({})["HISTORY_RETENTION"] == 400 * 86400


def test_content_that_comes_back_is_a_new_audit_compared_with_the_one_before(client, keys, two_audits):
    first, second = two_audits
    same = _audit_any(client, _changed(GOOD), keys["a"])
    assert same["id"] == second["id"] and same["cache"]["hit"] is True  # nothing changed: the same audit
    back = _audit_any(client, _without_reviewer(GOOD), keys["a"])  # the first version is back
    assert back["id"] not in (first["id"], second["id"]) and back["compared_to"] == second["id"]
    assert back["score"] == first["score"] and back["changes"]["score"]["delta"] == -second["changes"]["score"]["delta"]


def _audit_any(client, html: str, headers) -> dict:
    resp = client.post("/v1/audits", json={"html": html, "url": URL}, headers=headers)
    assert resp.status_code in (200, 201), resp.json
    return resp.json
