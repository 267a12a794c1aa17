"""A site over time: two batches of the generated site (tests/sitesim.py) between which 10 pages improved and
5 regressed; the comparison finds exactly those, in the summary, the compare route and the site report.

Real Redis and worker processes (tests/batch_helpers.py); the site is served from 127.0.0.1.
"""

from __future__ import annotations

import re

import pytest

from scoring import audit_html
from service.api.app import create_app
from service.api.auth.keys import create_key
from tests import redis_helper
from tests.batch_helpers import BatchEnv
from tests.sitesim import SimSite

IMPROVED, REGRESSED, UNCHANGED = 10, 5, 5
CLEAR_DROP = 3.0  # the edit below must cost a page at least this (the compare counts moves of MIN_SCORE_DELTA)


def degraded(html: str) -> str:
    """The page after a careless edit: its JSON-LD broken and its subheadings gone."""
    html = html.replace('<script type="application/ld+json">', '<script type="application/ld+json">{{')
    return re.sub(r"<h2[^>]*>.*?</h2>", "", html, flags=re.S)


@pytest.fixture(scope="module")
def site():
    with SimSite(pages=60) as sim:
        yield sim


@pytest.fixture(scope="module")
def plan(site):
    """Pages the edit clearly hurts: the first 10 improve between the batches, the next 5 regress."""
    hurt, steady = [], []
    for path, page in site.pages.items():
        if page.template in ("section", "home"):
            continue
        html = site.page_html(path).decode("utf-8")
        url = site.base_url + path
        drop = audit_html(html, url=url)["score"] - audit_html(degraded(html), url=url)["score"]
        (hurt if drop >= CLEAR_DROP else steady).append(path)
    assert len(hurt) >= IMPROVED + REGRESSED and len(steady) >= UNCHANGED
    return {"improved": hurt[:IMPROVED], "regressed": hurt[IMPROVED:IMPROVED + REGRESSED],
            "unchanged": steady[:UNCHANGED]}


def _serve(site, plan, *, before: bool) -> None:
    for path in plan["improved"] + plan["regressed"]:
        site._html.pop(path, None)
        original = site.page_html(path)  # rendered afresh
        bad = (path in plan["improved"]) == before  # improved pages were bad before, regressed ones are bad after
        site._html[path] = degraded(original.decode("utf-8")).encode("utf-8") if bad else original


@pytest.fixture(scope="module")
def run(site, plan):
    env = BatchEnv(redis_helper.redis_url())
    try:
        client = create_app({**env.config_overrides(), "TESTING": True}).test_client()
        keys = {}
        for tenant in ("agency", "rival"):
            key, _ = create_key(env.conn, tenant, env.prefix, tenant=tenant)
            keys[tenant] = {"Authorization": f"Bearer {key}"}
        env.start_worker()
        urls = [site.base_url + p for group in plan.values() for p in group]
        ids = []
        for before in (True, False):
            _serve(site, plan, before=before)
            r = client.post("/v1/batches", json={"urls": urls}, headers=keys["agency"])
            assert r.status_code == 202, r.json
            ids.append(r.json["id"])
            assert env.wait(ids[-1], timeout=180)["state"] == "done"
            env.wait(ids[-1], timeout=30, until=lambda b: bool((env.rt.batches.meta(b["id"]) or {}).get("finalized")))
        rival = client.post("/v1/batches", json={"urls": urls[:3]}, headers=keys["rival"]).json["id"]
        env.wait(rival, timeout=120)
        yield env, client, keys, ids, rival
    finally:
        env.close()


def test_the_compare_finds_exactly_the_pages_that_improved_and_regressed(run, site, plan):
    env, client, keys, (first, second), _ = run
    r = client.get(f"/v1/batches/{second}/compare", query_string={"with": first}, headers=keys["agency"])
    assert r.status_code == 200, r.json
    pages = r.json["pages"]
    assert {e["url"] for e in pages["improved"]} == {site.base_url + p for p in plan["improved"]}
    assert {e["url"] for e in pages["regressed"]} == {site.base_url + p for p in plan["regressed"]}
    assert pages["new"] == [] and pages["gone"] == []
    assert all(e["delta"] >= 1 for e in pages["improved"]) and all(e["delta"] <= -1 for e in pages["regressed"])
    assert r.json["compared_to"] == first and r.json["batch_id"] == second
    assert sum(r.json["histogram"]["before"]) == sum(r.json["histogram"]["after"]) == 20
    assert "10 pages improved, 5 pages regressed, 0 new pages, 0 pages gone" in r.json["lines"]
    french = client.get(f"/v1/batches/{second}/compare", query_string={"with": first, "lang": "fr"},
                        headers=keys["agency"]).json["lines"]
    assert "10 pages améliorées, 5 pages en recul, 0 nouvelle page, 0 page disparue" in french


def test_the_summary_of_the_second_batch_compares_with_the_first(run, plan):
    env, client, keys, (first, second), _ = run
    summary = client.get(f"/v1/batches/{second}/summary", headers=keys["agency"]).json
    assert summary["comparison"]["compared_to"] == first
    assert len(summary["comparison"]["pages"]["improved"]) == IMPROVED
    assert len(summary["comparison"]["pages"]["regressed"]) == REGRESSED
    assert [b["id"] for b in summary["trend"]] == [first, second]
    assert client.get(f"/v1/batches/{first}/summary", headers=keys["agency"]).json["comparison"] is None


def test_the_site_report_shows_the_trend_and_the_top_regressions(run, site, plan):
    env, client, keys, (first, second), _ = run
    for lang, heading in (("en", "Since the last audit"), ("fr", "Depuis le dernier audit")):
        html = client.get(f"/v1/batches/{second}/report", query_string={"lang": lang}, headers=keys["agency"]).text
        assert heading in html
        assert 'class="chart trend"' in html
        for path in plan["regressed"]:
            assert path in html


def test_batches_of_another_tenant_are_never_compared_nor_trended(run):
    env, client, keys, (first, second), rival = run
    for a, b in ((second, rival), (rival, first)):
        r = client.get(f"/v1/batches/{a}/compare", query_string={"with": b}, headers=keys["agency"])
        assert r.status_code == 404
    r = client.get(f"/v1/batches/{second}/compare", query_string={"with": first}, headers=keys["rival"])
    assert r.status_code == 404
    summary = client.get(f"/v1/batches/{rival}/summary", headers=keys["rival"]).json
    assert summary["comparison"] is None and [b["id"] for b in summary["trend"]] == [rival]
